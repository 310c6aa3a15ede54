package org.carbonupgrade.verify;

import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/**
 * The tables Carbon 4.2.0 (and, for Identity Server, IS 4.5.0/4.6.0) added: the first checkpoint lists them by name.
 * The same on every engine since the identity-provider claim tables and IDN_APPMGT_* are created everywhere.
 */
public final class Additions {
    private Additions() {
    }

    public static List<String> tables(Engine engine, boolean identityServer) {
        List<String> t = new ArrayList<>(List.of("UM_DOMAIN", "UM_SYSTEM_USER", "UM_SYSTEM_ROLE", "UM_SYSTEM_USER_ROLE",
                "UM_SHARED_USER_ROLE", "UM_ACCOUNT_MAPPING", "UM_MODULE", "UM_MODULE_ACTIONS"));
        if (identityServer) {
            t.addAll(List.of("IDN_IDENTITY_USER_DATA", "IDN_IDENTITY_META_DATA", "IDN_THRIFT_SESSION", "IDP_BASE_TABLE",
                    "UM_TENANT_IDP", "UM_TENANT_IDP_ROLES", "UM_TENANT_IDP_ROLE_MAPPINGS",
                    // WSO2 scripted these for H2 only; IS code needs them on every engine (docs/identity-server.md).
                    "UM_TENANT_IDP_CLAIMS", "UM_TENANT_IDP_CLAIM_MAPPINGS", "IDN_APPMGT_APP", "IDN_APPMGT_CLIENT", "IDN_APPMGT_STEP"));
        }
        return t;
    }
}
