package org.carbonupgrade.support;

/** The whole message chain of an exception, as an operator reads it in Maven's output. */
public final class Errors {
    private Errors() {
    }

    public static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) b.append(t.getMessage()).append('\n');
        return b.toString();
    }
}
