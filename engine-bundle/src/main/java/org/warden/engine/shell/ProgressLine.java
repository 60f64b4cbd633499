package org.warden.engine.shell;

import java.io.PrintStream;
import java.util.Locale;

import org.warden.api.whatif.WhatIfProgress;

/**
 * A replay's progress as one line of the operator's terminal, rewritten in place ({@code \r}): "replayed 120000 of
 * 450000 entries (26 %)". Written to the session's console, not to the command's output, so that a piped or
 * captured output holds the report only; {@link #clear()} wipes the line before the report is printed. Rewritten
 * only when the whole percentage changes (a slow terminal over SSH is not flooded), or on every call while the
 * total is not known. Called from the command's own thread only.
 */
final class ProgressLine implements WhatIfProgress {

    /** Erase to the end of the line (ANSI EL). */
    private static final String ERASE = "\u001B[K";

    private final PrintStream console;
    private final boolean ansi;
    private long lastPercent = -1;
    /** The length of the line on the terminal now, 0 when none. */
    private int shown;

    ProgressLine(PrintStream console, boolean ansi) {
        this.console = console;
        this.ansi = ansi;
    }

    @Override
    public void replayed(long done, long total) {
        String line;
        if (total > 0) {
            long percent = Math.max(0, Math.min(100, (long) (100.0 * done / total)));
            if (percent == lastPercent) {
                return;
            }
            lastPercent = percent;
            line = String.format(Locale.ROOT, "replayed %d of %d entries (%d %%)", done, total, percent);
        } else {
            line = "replayed " + done + " entries";
        }
        draw(line);
    }

    /** Wipes the progress line, if one is shown. */
    void clear() {
        if (shown > 0) {
            draw("");
        }
    }

    private void draw(String line) {
        // without ANSI, blanks cover what is left of a longer line before
        String tail = ansi ? ERASE : " ".repeat(Math.max(0, shown - line.length()));
        console.print("\r" + line + tail + (ansi || tail.isEmpty() ? "" : "\r" + line));
        console.flush();
        shown = line.length();
    }
}
