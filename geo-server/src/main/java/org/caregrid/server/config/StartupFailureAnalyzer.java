package org.caregrid.server.config;

import org.caregrid.server.db.EmbeddedPostgisException;
import org.caregrid.server.security.DemoPasswords.DemoPasswordStillSetException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/** Start-up failures a user can fix, told in words instead of a stack trace. */
public class StartupFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DemoPasswordStillSetException demo) {
                return new FailureAnalysis(demo.getMessage(),
                        "Give each of them a real password with './caregrid set-password USER', "
                                + "or use './caregrid demo' for a trial.", demo);
            }
            if (t instanceof EmbeddedPostgisException db) {
                return new FailureAnalysis(db.getMessage(),
                        "Install what the message names, or set CAREGRID_DB_URL to an existing PostGIS database.", db);
            }
        }
        return null;
    }
}
