package org.warden.api.policy.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.warden.api.policy.WardenPolicy;

/** ForwardingPolicy forwards every WardenPolicy method, the defaults included, so the delegate's own answer is used. */
class ForwardingPolicyTest {

    @Test
    void everyPolicyMethodIsForwarded() throws Exception {
        for (Method m : WardenPolicy.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method forwarded = ForwardingPolicy.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            assertThat(Modifier.isAbstract(forwarded.getModifiers())).as("%s", m).isFalse();
        }
        assertThat(Arrays.stream(ForwardingPolicy.class.getDeclaredMethods()).filter(m -> !m.isSynthetic()))
                .as("the policy's methods and delegate()").hasSize(WardenPolicy.class.getMethods().length + 1);
    }
}
