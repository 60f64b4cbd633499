package org.warden.demo;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The demo distributor's settings (PID {@code org.warden.demo}, file etc/org.warden.demo.cfg). */
@ObjectClassDefinition(name = "Warden demo distributor",
        description = "A simulated job distributor that feeds Warden a live network of workers")
public @interface DemoConfig {

    @AttributeDefinition(description = "Jobs distributed per second (1 to 10000)")
    int jobsPerSecond() default 20;

    @AttributeDefinition(description = "Workers in the simulated population")
    int workers() default 200;

    @AttributeDefinition(description = "Random seed of the population, bids and outcomes")
    long seed() default 42;

    @AttributeDefinition(description = "Share of adversarial workers (malicious, on-off, whitewashers, cheap bidders, health spoofers), 0 to 1")
    double maliciousShare() default 0.1;

    @AttributeDefinition(description = "Workers that bid for each job")
    int biddersPerJob() default 8;

    @AttributeDefinition(description = "Probability that a result is verified (catching an invalid one)")
    double verificationRate() default 0.3;
}
