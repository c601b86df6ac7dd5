package dev.dlb.core.testing;

import dev.dlb.core.run.HttpProbe;
import dev.dlb.core.spec.Topology;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A balancer seen from outside: a request for one replica by name (/dlb-replica/web-N/...) is answered
 * by that replica if it is among {@code answering}, any other request by the next of them in turn, or always
 * by the first when pinned (as ip_hash pins one client). Remembers every URI.
 */
public final class FakeProbe implements HttpProbe {

    private static final Pattern BY_NAME = Pattern.compile("/dlb-replica/([^/]+)/.*");

    private final List<String> answering;
    private final boolean pinned;
    private final List<URI> asked = new ArrayList<>();
    private final Set<String> outOfRotation = new HashSet<>();
    private int next;

    private FakeProbe(List<String> answering, boolean pinned) {
        this.answering = answering;
        this.pinned = pinned;
    }

    public static FakeProbe roundRobin(String... replicas) {
        return new FakeProbe(List.of(replicas), false);
    }

    public static FakeProbe pinned(String... replicas) {
        return new FakeProbe(List.of(replicas), true);
    }

    /** A balancer that reaches no replica: every request ends in its 504. */
    public static FakeProbe noneReachable() {
        return new FakeProbe(List.of(), false);
    }

    @Override
    public synchronized Optional<Answer> get(URI uri) {
        asked.add(uri);
        if (uri.getPath().equals(Topology.ROTATION_PATH)) {
            return Optional.of(new Answer(200, Optional.empty(), rotation()));
        }
        Matcher byName = BY_NAME.matcher(uri.getPath());
        if (byName.matches()) {
            String replica = byName.group(1);
            return Optional.of(answering.contains(replica) ? answer(replica) : new Answer(502, Optional.empty(), ""));
        }
        if (answering.isEmpty()) {
            return Optional.of(new Answer(504, Optional.empty(), ""));
        }
        return Optional.of(answer(answering.get(pinned ? 0 : next++ % answering.size())));
    }

    /** These replicas answer, but the balancer's rotation lists them as down. */
    public synchronized FakeProbe outOfRotation(String... replicas) {
        outOfRotation.addAll(List.of(replicas));
        return this;
    }

    public synchronized List<URI> asked() {
        return List.copyOf(asked);
    }

    private static Answer answer(String replica) {
        return new Answer(200, Optional.of(replica), "");
    }

    /** As the balancer lists it: the answering replicas up, at made-up addresses. */
    private String rotation() {
        StringBuilder out = new StringBuilder();
        answering.forEach(r -> out.append(r).append(" 10.0.0.").append(answering.indexOf(r) + 2)
                .append(outOfRotation.contains(r) ? " down\n" : " up\n"));
        return out.toString();
    }
}
