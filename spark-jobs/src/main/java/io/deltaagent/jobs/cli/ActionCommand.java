package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.request.JobRequest;

/** A subcommand that turns its parsed options into a request. */
interface ActionCommand {
    /** The common options, possibly partly filled when parsing failed. */
    CommonOptions common();

    /** @throws IllegalArgumentException when the options are individually valid but do not make a request */
    JobRequest toRequest();
}
