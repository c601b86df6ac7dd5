package dev.dlb.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot work; lists every problem at once so the user fixes them in one go. */
public final class InvalidSpecException extends RuntimeException {

    private final List<Problem> problems;

    public InvalidSpecException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        return "Invalid dlb configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
