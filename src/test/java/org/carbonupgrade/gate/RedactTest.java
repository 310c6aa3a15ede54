package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form in which a JDBC URL can carry a password is masked, and recognised so the plugin can refuse it. */
class RedactTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "jdbc:postgresql://wso2:S3cret@db.example.com:5432/carbon | jdbc:postgresql://wso2:***@db.example.com:5432/carbon",
        "jdbc:mysql://wso2:S3cret@db:3306/carbon | jdbc:mysql://wso2:***@db:3306/carbon",
        "jdbc:mysql://wso2:S3c@ret@db:3306/carbon | jdbc:mysql://wso2:***@db:3306/carbon",
        "jdbc:oracle:thin:wso2/S3cret@db:1521:ORCL | jdbc:oracle:thin:wso2/***@db:1521:ORCL",
        "jdbc:oracle:thin:wso2/S3cret@//db:1521/XEPDB1 | jdbc:oracle:thin:wso2/***@//db:1521/XEPDB1",
        "jdbc:postgresql://db/carbon?user=wso2&password=S3cret | jdbc:postgresql://db/carbon?user=wso2&password=***",
        "jdbc:postgresql://db/carbon?password=S3cret&user=wso2 | jdbc:postgresql://db/carbon?password=***&user=wso2",
        "jdbc:h2:./db;PASSWORD=ab;cd | jdbc:h2:./db;PASSWORD=***",
        "jdbc:h2:./db;PASSWORD=ab;cd;LOCK_TIMEOUT=1 | jdbc:h2:./db;PASSWORD=***;LOCK_TIMEOUT=1",
        "jdbc:mysql://db/carbon?password=ab&cd&useSSL=false | jdbc:mysql://db/carbon?password=***&useSSL=false",
        "jdbc:sqlserver://db:1433;user=sa;password={ab;cd}}e};databaseName=x | jdbc:sqlserver://db:1433;user=sa;password=***;databaseName=x",
        "jdbc:sqlserver://db:1433;databaseName=x;pwd=S3cret | jdbc:sqlserver://db:1433;databaseName=x;pwd=***",
        "jdbc:mysql://db/carbon?password=\"ab;cd&ef\"&x=1 | jdbc:mysql://db/carbon?password=***&x=1",
        "jdbc:mysql://db/carbon?password='ab;cd'&x=1 | jdbc:mysql://db/carbon?password=***&x=1",
        "jdbc:postgresql://db/carbon?sslpassword=K3y&sslmode=verify-full | jdbc:postgresql://db/carbon?sslpassword=***&sslmode=verify-full",
        "jdbc:mysql://db/carbon?trustStorePassword=T1&keyStorePassword=K2 | jdbc:mysql://db/carbon?trustStorePassword=***&keyStorePassword=***",
        "jdbc:mysql://db/carbon?clientCertificateKeyStorePassword=K2 | jdbc:mysql://db/carbon?clientCertificateKeyStorePassword=***",
        "jdbc:mysql://address=(host=db)(user=wso2)(password=S3cret)(port=3306)/carbon | jdbc:mysql://address=(host=db)(user=wso2)(password=***)(port=3306)/carbon",
    })
    void masksEveryForm(String url, String masked) {
        assertEquals(masked, Redact.url(url));
        assertTrue(Redact.carriesPassword(url), url);
        String message = Redact.text("Connection could not be created to " + url + " with driver x");
        assertFalse(message.contains("S3c") || message.contains("ab;") || message.contains("cd") || message.contains("K3y")
                || message.contains("T1") || message.contains("K2"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:5432/wso2carbon_db", "jdbc:oracle:thin:@//127.0.0.1:1521/XEPDB1",
        "jdbc:postgresql://srv.postgres.database.azure.com:5432/carbon?user=admin@srv&sslmode=require",
        "jdbc:h2:./target/rehearsal/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000",
        "jdbc:sqlserver://127.0.0.1:1433;databaseName=WSO2CARBON_DB;encrypt=false", "jdbc:mysql://wso2@db:3306/carbon"})
    void leavesUrlsWithoutPasswordAlone(String url) {
        assertEquals(url, Redact.url(url));
        assertFalse(Redact.carriesPassword(url), url);
    }

    @Test
    void masksThePasswordGivenSeparately() {
        String before = System.getProperty("liquibase.password");
        System.setProperty("liquibase.password", "Sep4rate;Secret");
        try {
            assertEquals("FATAL: password authentication failed for *** (tried ***)",
                    Redact.text("FATAL: password authentication failed for Sep4rate;Secret (tried Sep4rate;Secret)"));
        } finally {
            if (before == null) System.clearProperty("liquibase.password"); else System.setProperty("liquibase.password", before);
        }
    }
}
