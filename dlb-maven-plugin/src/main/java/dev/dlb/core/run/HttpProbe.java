package dev.dlb.core.run;

import java.net.URI;
import java.util.Optional;

/** One HTTP GET for readiness; the seam that lets tests drive readiness without a network. */
@FunctionalInterface
public interface HttpProbe {

    /** @return the status, the replica header and the body, or empty when nothing answered */
    Optional<Answer> get(URI uri);

    record Answer(int status, Optional<String> replica, String body) {
    }
}
