package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every replica answers through dlb.balancer.url. With -Dengines.hold=FILE it then writes FILE.up and holds
 * the build (at most 120 s) while FILE exists, so that the test can kill the build with the stack up.
 */
class ReplicasIT {

    @Test
    void everyReplicaAnswersThroughTheBalancerUrl() throws Exception {
        URI url = URI.create(System.getProperty("dlb.balancer.url"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 30 && seen.size() < 3; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer::body);
            answer.headers().firstValue("X-Dlb-Replica").ifPresent(seen::add);
        }
        System.out.println("REPLICAS-SEEN " + url + " " + seen);
        assertEquals(Set.of("web-1", "web-2", "web-3"), seen);
        hold(System.getProperty("engines.hold", ""), url + " " + seen);
    }

    private static void hold(String file, String said) throws Exception {
        if (file.isBlank()) {
            return;
        }
        Path hold = Path.of(file);
        Files.writeString(Path.of(file + ".up"), said + "\n");
        for (int i = 0; i < 1200 && Files.exists(hold); i++) {
            Thread.sleep(100);
        }
    }
}
