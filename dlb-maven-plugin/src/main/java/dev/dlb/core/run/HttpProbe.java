package dev.dlb.core.run;

import java.net.URI;
import java.util.Optional;

/** One HTTP GET for readiness; the seam that lets tests drive readiness without a network. */
@FunctionalInterface
public interface HttpProbe {

    /** @return the status and the replica header, or empty when nothing answered */
    Optional<Answer> get(URI uri);

    record Answer(int status, Optional<String> replica) {
    }
}
