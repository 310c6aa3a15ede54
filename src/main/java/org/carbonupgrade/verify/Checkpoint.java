package org.carbonupgrade.verify;

import java.util.ArrayList;
import java.util.List;

/** One of the guide's checkpoints: passed or not, with the facts behind the verdict. */
public final class Checkpoint {
    public enum Status { PASSED, FAILED, NOT_AVAILABLE }

    public final String name;
    public Status status = Status.PASSED;
    public final List<String> details = new ArrayList<>();
    public final List<String> problems = new ArrayList<>();
    /** How long the check took, so an operator can plan the maintenance window on a large database. */
    public long millis;

    Checkpoint(String name) {
        this.name = name;
    }

    void detail(String text) {
        details.add(text);
    }

    void fail(String problem) {
        problems.add(problem);
        status = Status.FAILED;
    }

    void notAvailable(String why) {
        details.add(why);
        if (status == Status.PASSED) status = Status.NOT_AVAILABLE;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
