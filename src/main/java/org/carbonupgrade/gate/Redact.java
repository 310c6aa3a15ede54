package org.carbonupgrade.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages. A JDBC URL can carry a password in its user-info part
 * ({@code jdbc:mysql://user:secret@host/db}), in Oracle's {@code user/secret@host} form, or as a parameter
 * ({@code password=}, {@code pwd=}, {@code sslpassword=}, {@code trustStorePassword=}, ... after {@code ?},
 * {@code &}, {@code ;} or inside MySQL's {@code (key=value)} host form), whose value may hold {@code ;} and
 * {@code &} itself, be quoted, or be a SQL Server {@code {braced}} value. Every form is masked; the password
 * given separately (-Dliquibase.password) is masked wherever it appears verbatim.
 */
public final class Redact {
    public static final String MASK = "***";
    private static final String KEY = "(?i)(?<![A-Za-z0-9])([A-Za-z0-9_.-]*(?:password|passwd|pwd|passphrase|secret))";
    private static final String QUOTED = "\\{(?:[^}]|\\}\\})*\\}|\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'";
    /** In a URL, a value ends only where the next parameter starts (so {@code password=ab;cd} hides {@code cd}). */
    private static final Pattern URL_PARAMETER = Pattern.compile(KEY + "(\\s*=\\s*)(?:" + QUOTED
            + "|.*?)(?=[;&][A-Za-z0-9_.-]+\\s*=|\\)\\s*\\(|\\)\\s*/|\\)\\s*$|$)", Pattern.DOTALL);
    /** In free text (an exception message quoting a URL) a value also ends at white space or a quote. */
    private static final Pattern TEXT_PARAMETER = Pattern.compile(KEY + "(\\s*=\\s*)(?:" + QUOTED
            + "|.*?)(?=[;&][A-Za-z0-9_.-]+\\s*=|[)\\s'\",]|$)");
    /** user:secret@ in the authority (the password cannot hold / ? # unencoded; it may hold @). */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:;\\s]*):([^/?#\\s]*)@");
    /** Oracle's jdbc:oracle:thin:user/secret@host. */
    private static final Pattern ORACLE_USER = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:[^/@:\\s]*)/(\\S*)@");

    private Redact() {
    }

    /** The URL with every password masked (and never null, for messages). */
    public static String url(String url) {
        if (url == null) return "(unknown URL)";
        return knownSecrets(mask(url, URL_PARAMETER));
    }

    /** A message (a driver's or Liquibase's exception text) with every password in it masked. */
    public static String text(String text) {
        if (text == null) return null;
        return knownSecrets(mask(text, TEXT_PARAMETER));
    }

    /** Whether the URL itself carries a password, in any of the forms {@link #url} masks. */
    public static boolean carriesPassword(String url) {
        return url != null && (URL_PARAMETER.matcher(url).find() || USER_INFO.matcher(url).find() || ORACLE_USER.matcher(url).find());
    }

    private static String mask(String s, Pattern parameter) {
        String out = parameter.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        out = USER_INFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        return ORACLE_USER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "/" + MASK + "@"));
    }

    /** The passwords this run was given apart from the URL; long enough to be told apart from ordinary text. */
    private static String knownSecrets(String s) {
        List<String> secrets = new ArrayList<>();
        for (String key : new String[] {"liquibase.password", "liquibase.referencePassword", "carbon.upgrade.source.password"}) {
            String v = System.getProperty(key);
            if (v != null && v.length() >= 4 && !v.startsWith("${")) secrets.add(v);
        }
        for (String secret : secrets) s = s.replace(secret, MASK);
        return s;
    }
}
