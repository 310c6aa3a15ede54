package org.carbonupgrade.gate;

/** Keeps secrets out of messages: a JDBC URL may carry a password. */
public final class Redact {
    private Redact() {
    }

    public static String url(String url) {
        if (url == null) return "(unknown URL)";
        return url.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=***")
                .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
