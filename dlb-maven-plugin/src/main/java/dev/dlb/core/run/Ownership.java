package dev.dlb.core.run;

import dev.dlb.core.run.StackSession.Lifetime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who a session belongs to, as its labels tell a later start: how long it is meant to live, the build
 * process that owns it (attended sessions only), and the checkout (project directory) it was started from.
 */
public record Ownership(Lifetime lifetime, Optional<Owner> owner, Optional<FileId> checkout) {

    /** The owner label of sessions no build process owns: started by hand, or kept for debugging. */
    static final String NO_OWNER = "unattended";

    public Ownership {
        if (owner.isPresent() != (lifetime == Lifetime.ATTENDED)) {
            throw new IllegalArgumentException("an owner process goes with attended sessions only, not " + lifetime + " " + owner);
        }
    }

    public static Ownership attended(Owner owner, Optional<FileId> checkout) {
        return new Ownership(Lifetime.ATTENDED, Optional.of(owner), checkout);
    }

    public static Ownership unowned(Lifetime lifetime, Optional<FileId> checkout) {
        return new Ownership(lifetime, Optional.empty(), checkout);
    }

    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.OWNER, owner.map(Owner::label).orElse(NO_OWNER));
        owner.flatMap(Owner::lock).ifPresent(lock -> labels.put(Labels.OWNER_LOCK, lock.label()));
        checkout.ifPresent(c -> labels.put(Labels.CHECKOUT, c.label()));
        if (lifetime == Lifetime.KEPT) {
            labels.put(Labels.KEEP, "true");
        }
        return labels;
    }

    /** Read back from a resource's labels; empty when they are not ones this version writes (an older plugin's). */
    static Optional<Ownership> fromLabels(Map<String, String> labels) {
        Optional<FileId> checkout = FileId.parse(labels.get(Labels.CHECKOUT));
        String owner = labels.get(Labels.OWNER);
        if ("true".equals(labels.get(Labels.KEEP))) {
            return Optional.of(unowned(Lifetime.KEPT, checkout));
        }
        if (NO_OWNER.equals(owner)) {
            return Optional.of(unowned(Lifetime.UNATTENDED, checkout));
        }
        return Owner.parse(owner, FileId.parse(labels.get(Labels.OWNER_LOCK))).map(o -> attended(o, checkout));
    }
}
