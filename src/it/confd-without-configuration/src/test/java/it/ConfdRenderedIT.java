package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Both replicas answer with the page confd rendered at their start, through the nginx configuration confd rendered. */
class ConfdRenderedIT {

    @Test
    void everyReplicaServesWhatConfdRenderedForIt() throws Exception {
        URI balancer = URI.create(System.getProperty("dlb.balancer.url"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            String replica = response.headers().firstValue("X-Dlb-Replica").orElseThrow();
            assertEquals("server " + replica.substring(4), response.body().replaceAll("(?s).*<h1>(.*)</h1>.*", "$1"));
            seen.add(replica);
        }
        assertEquals(Set.of("web-1", "web-2"), seen);
        System.out.println("CONFD-RENDERED " + seen + " " + System.getProperty("dlb.it.mode"));
    }
}
