package org.warden.engine.shell;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that refuses to deliver more than {@code limit} bytes: the check that holds while reading, whatever the
 * file's size said when it was opened (a file that grows, a pipe, a size that lies).
 */
final class LimitedInputStream extends FilterInputStream {

    /** Thrown on the first read past the limit; Jackson passes stream failures through unchanged. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, allowed(length));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, allowed(Integer.MAX_VALUE)));
        counted(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** At most {@code wanted}, and never more than one byte past the limit: a huge file is not read far beyond it. */
    private int allowed(int wanted) {
        long remaining = limit - count; // >= 0: count never passes the limit without throwing
        return remaining >= wanted ? wanted : (int) (remaining + 1);
    }

    private void counted(long n) throws LimitExceeded {
        count += n;
        if (count > limit) {
            throw new LimitExceeded(limit);
        }
    }
}
