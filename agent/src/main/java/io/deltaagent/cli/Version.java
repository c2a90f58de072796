package io.deltaagent.cli;

/** The agent's version, from the jar manifest when packaged. */
final class Version {
    private Version() {
    }

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
