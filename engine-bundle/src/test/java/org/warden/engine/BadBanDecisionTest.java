package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.failed;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warden.api.Ban;
import org.warden.api.PenaltyType;
import org.warden.api.PendingBan;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.BanDecision;
import org.warden.engine.core.BanBudget;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;

/**
 * A policy's ban decision is validated before anything is taken for it: an invalid one is a counted policy fault,
 * the outcome or penalty that asked for it is still recorded, no ban-budget unit is spent, and the bans waiting for
 * an operator stay as they were.
 */
class BadBanDecisionTest {

    enum Bad {
        /** A reason with a line break: refused by BanDecision itself, inside the policy's call. */
        NEWLINE,
        /** A reason of 1,025 characters: refused by BanDecision itself. */
        TOO_LONG,
        /** Long.MAX_VALUE seconds: the ban would end past Instant.MAX; refused by the engine. */
        ENDLESS_DURATION;

        Optional<BanDecision> decide() {
            return switch (this) {
                case NEWLINE -> Optional.of(new BanDecision("first line\nsecond line", null));
                case TOO_LONG -> Optional.of(new BanDecision("x".repeat(1025), null));
                case ENDLESS_DURATION -> Optional.of(new BanDecision("forever", Duration.ofSeconds(Long.MAX_VALUE)));
            };
        }
    }

    private final Fixtures f = new Fixtures();
    private final StubPolicy policy = new StubPolicy();
    /** Which worker gets which decision: valid ones for the set-up, the bad one for the worker under test. */
    private volatile Bad bad;

    BadBanDecisionTest() {
        policy.autoBanRule = s -> switch (s.workerId()) {
            case "bad" -> bad.decide();
            default -> Optional.of(new BanDecision("valid ban of " + s.workerId(), Duration.ofHours(1)));
        };
        f.with("stub", policy);
        for (String w : new String[] { "first", "second", "bad" }) {
            f.engine.reportHealth(w, GOOD);
        }
    }

    private BanBudget budget() {
        return f.engine.book().banBudget();
    }

    private int used() {
        return budget().used(f.clock.instant(), f.engine.book().settings().banBudgetWindow());
    }

    @ParameterizedTest
    @EnumSource(Bad.class)
    void anInvalidDecisionIsAFaultTheChangeIsRecordedAndNothingIsTaken(Bad kind) {
        // the budget (one ban for 3 active workers) is spent on "first"; "second" waits for an operator
        assertThat(f.engine.recordOutcome(failed("first")).ban()).isNotNull();
        assertThat(f.engine.recordOutcome(failed("second")).ban()).isNull();
        assertThat(f.engine.pendingBans()).extracting(PendingBan::workerId).containsExactly("second");
        assertThat(used()).isEqualTo(1);
        long faults = f.engine.book().guard().faults();

        bad = kind;
        WorkerReputation r = f.engine.recordOutcome(failed("bad"));
        assertThat(r.jobsFailed()).as("the outcome is recorded").isEqualTo(1);
        assertThat(r.ban()).isNull();
        assertThat(f.engine.book().guard().faults()).as("a policy fault").isEqualTo(faults + 1);
        f.engine.applyPenalty("bad", PenaltyType.JOB_FAILURE, 0.4, "bad result", "job-9");
        assertThat(f.engine.penalties("bad")).as("the penalty is recorded").extracting(p -> p.reason())
                .containsExactly("bad result");
        assertThat(f.engine.bans("bad")).isEmpty();
        assertThat(f.engine.book().guard().faults()).isEqualTo(faults + 2);
        assertThat(used()).as("no budget unit taken").isEqualTo(1);
        assertThat(f.engine.pendingBans()).as("pending bans intact").extracting(PendingBan::workerId)
                .containsExactly("second");
        assertThat(f.engine.networkHealth().policyFaults()).isEqualTo(faults + 2);

        // and the pending ban can still be confirmed
        Ban confirmed = f.engine.confirmPendingBan("second", "checked").orElseThrow();
        assertThat(confirmed.until()).isEqualTo(f.clock.instant().plus(Duration.ofHours(1)));
        assertThat(f.engine.pendingBans()).isEmpty();
    }

    @Test
    void aBanDecisionRefusesAnInvalidReasonWhereItIsMade() {
        assertThatThrownBy(() -> new BanDecision("a\nb", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason must not contain control characters");
        assertThatThrownBy(() -> new BanDecision("x".repeat(1025), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason is 1025 characters long, at most 1024 allowed");
        assertThat(new BanDecision("x".repeat(1024), Duration.ofDays(365)).reason()).hasSize(1024);
    }

    @Test
    void anOperatorsBanOfADurationPastTheEndOfTimeIsRefusedWithAClearError() {
        assertThatThrownBy(() -> f.engine.ban("first", "forever", Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration must be at most 36500 days")
                .hasMessageContaining("was PT2562047788015215H30M7S");
        assertThat(f.engine.bans("first")).isEmpty();
    }

    @Test
    void aConfirmationTheStoreRefusesLeavesThePendingBanWaiting() {
        f.engine.recordOutcome(failed("first"));
        f.engine.recordOutcome(failed("second"));
        assertThat(f.engine.pendingBans()).extracting(PendingBan::workerId).containsExactly("second");
        AtomicBoolean down = new AtomicBoolean(true);
        f.engine.book().setJournal(new Journal() {
            @Override
            public void checkAccepting(boolean critical) {
                if (critical && down.get()) {
                    throw new IllegalStateException("the durable store (test) is unavailable");
                }
            }

            @Override
            public Receipt append(JournalEntry entry) {
                return Receipt.DONE;
            }
        });
        assertThatThrownBy(() -> f.engine.confirmPendingBan("second", "checked"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unavailable");
        assertThat(f.engine.pendingBans()).extracting(PendingBan::workerId).containsExactly("second");
        assertThat(f.engine.bans("second")).isEmpty();

        down.set(false);
        assertThat(f.engine.confirmPendingBan("second", "checked")).isPresent();
        assertThat(f.engine.pendingBans()).isEmpty();
        assertThat(f.engine.bans("second")).hasSize(1);
    }

    @Test
    void aJournalThatRefusesTheUpdateGivesTheBudgetUnitBack() {
        f.engine.book().setJournal(new Journal() {
            @Override
            public void checkAccepting(boolean critical) {
            }

            @Override
            public Receipt append(JournalEntry entry) {
                throw new IllegalStateException("journal full (test)");
            }
        });
        assertThatThrownBy(() -> f.engine.recordOutcome(failed("first"))).isInstanceOf(IllegalStateException.class);
        assertThat(used()).isZero();
        assertThat(f.engine.reputation("first").orElseThrow().jobsFailed()).as("nothing changed").isZero();
        assertThat(f.engine.bans("first")).isEmpty();
    }
}
