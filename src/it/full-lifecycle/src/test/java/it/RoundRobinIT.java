package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinIT {

    @Test
    void threeDistinctReplicasAnswerInTurnThroughTheBalancer() throws Exception {
        URI balancer = URI.create(System.getProperty("dlb.balancer.url"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(balancer).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            String replica = response.headers().firstValue("X-Dlb-Replica").orElseThrow();
            assertEquals("server " + replica.substring(4), response.body().replaceAll("(?s).*<h1>(.*)</h1>.*", "$1"));
            order.add(replica);
        }
        assertEquals(3, new LinkedHashSet<>(order).size(), "three distinct replicas: " + order);
        for (int i = 3; i < order.size(); i++) {
            assertEquals(order.get(i - 3), order.get(i), "round robin repeats every three answers: " + order);
        }
        System.out.println("ROUND-ROBIN-ORDER " + order);
    }
}
