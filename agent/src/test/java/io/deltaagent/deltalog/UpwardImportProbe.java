package io.deltaagent.deltalog;

import io.deltaagent.config.TableSettings;

/**
 * Not used by any reader: a log-reader class that takes the config, which is what the readers must not do. The
 * architecture test checks its rules refuse it, so that a rule which could never fail is noticed.
 */
final class UpwardImportProbe {

    private UpwardImportProbe() {
    }

    static int historyDepth(TableSettings settings) {
        return settings.historyDepth();
    }
}
