package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Talks to the running stack, then fails on purpose: the build must fail, and stop must still run. */
class FailingIT {

    @Test
    void failsAfterTheStackAnswered() throws Exception {
        URI balancer = URI.create(System.getProperty("dlb.balancer.url"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "the stack answers during the ITs");
        System.out.println("FAILING-IT the stack answered " + response.statusCode() + " through " + balancer);
        fail("DELIBERATE-IT-FAILURE: this IT fails so that the build fails while the stack is up");
    }
}
