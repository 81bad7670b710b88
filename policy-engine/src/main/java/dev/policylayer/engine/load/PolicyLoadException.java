package dev.policylayer.engine.load;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be used, with every problem found. The caller decides fail-closed or fail-open. */
public final class PolicyLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    public PolicyLoadException(List<PolicyProblem> problems) {
        super(problems.stream().map(PolicyProblem::describe).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public PolicyLoadException(PolicyProblem problem) {
        this(List.of(problem));
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
