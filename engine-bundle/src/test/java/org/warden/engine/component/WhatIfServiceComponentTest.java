package org.warden.engine.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.warden.engine.component.EmbeddedFramework.WAIT;

import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.HealthService;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfRequest;
import org.warden.api.whatif.WhatIfService;
import org.warden.engine.whatif.ThresholdPolicy;

/**
 * The what-if service in a real framework: registered by the engine while it is active (and again by the engine a
 * store restart makes), answering from the policies the engine has bound and the history its store keeps.
 */
class WhatIfServiceComponentTest {

    private EmbeddedFramework osgi;

    @AfterEach
    void stopFramework() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    @Test
    @Timeout(60)
    void theEngineOffersTheWhatIfServiceOverThePoliciesItHasBoundAndTheHistoryItsStoreKeeps() throws Exception {
        osgi = EmbeddedFramework.start();
        ServiceReference<?> engine = osgi.reference(HealthService.class);
        ServiceReference<?> first = osgi.reference(WhatIfService.class);
        assertThat(first.getBundle()).as("registered by the engine's bundle").isEqualTo(engine.getBundle());
        osgi.registerPolicy("b", 10, new ThresholdPolicy(0.3, 0));
        osgi.registerPolicy("a", 0, new ThresholdPolicy(0.5, 3));
        WhatIfService whatIf = osgi.service(WhatIfService.class);
        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> whatIf.whatIf(
                new WhatIfRequest("strict", Duration.ofHours(1), Map.of()), WhatIfProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy strict is not installed (installed: a, b)"));

        // memory only: the store restarts the engine, which registers a new service; no history is kept
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration("org.warden.store", "?");
        config.update(new Hashtable<>(Map.of("enabled", false)));
        await().atMost(WAIT).until(() -> {
            ServiceReference<?> now = osgi.context().getServiceReference(WhatIfService.class.getName());
            return now != null && !now.getProperty("service.id").equals(first.getProperty("service.id"));
        });
        assertThat(first.getBundle()).as("the first engine's service is unregistered with it").isNull();
        WhatIfService again = osgi.service(WhatIfService.class);
        // awaited: the new engine may serve before SCR has bound it every policy
        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> again.whatIf(new WhatIfRequest("a",
                Duration.ofHours(1), Map.of("threshold", "0.6")), WhatIfProgress.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no history is kept"));
    }
}
