package org.carbonupgrade.change;

import liquibase.change.custom.CustomChange;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;

/** Liquibase's custom-change plumbing our changes do not need: no set-up, no files, nothing to validate. */
public abstract class PlainCustomChange implements CustomChange {
    @Override
    public void setUp() {
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
    }

    @Override
    public ValidationErrors validate(Database database) {
        return new ValidationErrors();
    }
}
