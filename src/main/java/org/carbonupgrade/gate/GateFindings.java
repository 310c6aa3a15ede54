package org.carbonupgrade.gate;

/** The last gate result of this JVM, for the audit record and the verifier's report. */
public final class GateFindings {
    private static volatile UpgradeGate.Result last;

    private GateFindings() {
    }

    static void record(UpgradeGate.Result result) {
        last = result;
    }

    public static UpgradeGate.Result last() {
        return last;
    }
}
