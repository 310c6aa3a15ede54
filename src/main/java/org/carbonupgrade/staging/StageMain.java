package org.carbonupgrade.staging;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.gate.Redact;

/**
 * The stage as a command: {@code mvn -B compile exec:java@stage liquibase:update -P<db>[,is]
 * -Dcarbon.upgrade.source.url=<production> -Dliquibase.url=<staging> -Dcarbon.upgrade.backup=...}.
 *
 * <p>Staging's connection comes as for every command of this tool (profiles/PROFILE.properties, overridden by
 * -Dliquibase.url/username/password); production's from -Dcarbon.upgrade.source.url, .username and .password
 * (user and password default to staging's when not given). A refusal exits non-zero before Maven goes on to
 * liquibase:update, so the upgrade never runs on a staging database the stage did not prepare.
 */
public final class StageMain {
    private StageMain() {
    }

    public static void main(String[] args) throws Exception {
        String profile = args.length > 0 ? args[0] : "h2";
        boolean identityServer = args.length > 1 && "is".equalsIgnoreCase(args[1]);
        Stage.Settings settings = settings(profile, identityServer);
        ConnectionSettings production = settings.production();
        ConnectionSettings staging = settings.staging();
        System.out.println("[stage] production " + production + ", staging " + staging);
        new Stage(settings, line -> System.out.println("[stage] " + line)).run();
    }

    /**
     * Production (-Dcarbon.upgrade.source.*) and staging (-Dliquibase.*, the profile's defaults) as the operator gave
     * them; shared by exec:java@stage and exec:java@catch-up.
     */
    static Stage.Settings settings(String profile, boolean identityServer) throws Exception {
        ConnectionSettings staging = ConnectionSettings.forProfile(profile);
        String url = GateSettings.value(Stage.SOURCE_URL);
        if (url == null) {
            throw new Stage.Refused("Give production's URL: -D" + Stage.SOURCE_URL + "=<the live Carbon 4.0.0 database> (and"
                    + " -D" + Stage.SOURCE_USER + " / -D" + Stage.SOURCE_PASSWORD + " if they differ from staging's).");
        }
        if (Redact.carriesPassword(url) || Redact.carriesPassword(staging.url())) {
            throw new Stage.Refused("A database URL carries a password; Maven prints URLs, so it would end up in the build log. Give it"
                    + " separately: -D" + Stage.SOURCE_PASSWORD + "=... for production, -Dliquibase.password=... for staging.");
        }
        String user = GateSettings.value(Stage.SOURCE_USER);
        String password = System.getProperty(Stage.SOURCE_PASSWORD);
        ConnectionSettings production = new ConnectionSettings(url, user != null ? user : staging.username(),
                password != null && !password.startsWith("${") ? password : staging.password());
        return new Stage.Settings(Engine.ofProfile(profile), identityServer, production, staging);
    }
}
