package org.warden.demo;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The demo distributor's settings (PID {@code org.warden.demo}, file etc/org.warden.demo.cfg). */
@ObjectClassDefinition(name = "Warden demo distributor",
        description = "A simulated job distributor that feeds Warden a live network of workers")
public @interface DemoConfig {

    @AttributeDefinition(description = "Jobs distributed per second (1 to 10000)")
    int jobsPerSecond() default 20;

    @AttributeDefinition(description = "The population to run: a scenario file in the simulator's format "
            + "(simulator/SCENARIOS.md: groups of workers and their behaviours, events, seed, biddersPerJob, "
            + "verificationRate, jobs), under ${karaf.data}, as a path relative to it (e.g. warden/demo.json) or an "
            + "absolute path inside it; at most 1 MB. Empty: the population shipped in the bundle (200 workers: "
            + "honest, flaky, slow and 10 % adversaries of five kinds; seed 42, 8 bidders per job, 30 % of results "
            + "verified). A file outside ${karaf.data}, missing, too big or not a valid scenario is refused with an "
            + "ERROR in the log and the population in force stays. The demo stops after the scenario's jobs; "
            + "its jobIntervalMs is not used (the pace is jobsPerSecond).")
    String scenario() default "";
}
