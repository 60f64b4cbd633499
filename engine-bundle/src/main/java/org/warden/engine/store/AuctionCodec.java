package org.warden.engine.store;

import static org.warden.engine.store.CodecFields.amount;
import static org.warden.engine.store.CodecFields.count;
import static org.warden.engine.store.CodecFields.string;
import static org.warden.engine.store.CodecFields.varLong;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.warden.api.Bid;
import org.warden.engine.state.Auction;
import org.warden.engine.store.ChangeCodec.Row;

/**
 * One auction of a journal row in bytes (format 3 on): its time relative to the row's previous one, the job id
 * (or none), the bids (each worker named through the row's dictionary, the amount, the estimated completion), and
 * the worker chosen (or none). Apart from the changes ({@link ChangeCodec}): what the history keeps of a ranking
 * changes here alone.
 */
final class AuctionCodec {

    private AuctionCodec() {
    }

    static void write(DataOutputStream out, Auction a, Row row) throws IOException {
        ChangeCodec.time(out, a.at(), row);
        string(out, a.jobId());
        varLong(out, a.bids().size());
        for (Bid b : a.bids()) {
            row.writeWorker(out, b.workerId());
            amount(out, b.amount());
            varLong(out, b.estimatedCompletionMs());
        }
        out.writeBoolean(a.chosen() != null);
        if (a.chosen() != null) {
            row.writeWorker(out, a.chosen());
        }
    }

    static Auction read(DataInputStream in, Row row) throws IOException {
        java.time.Instant at = ChangeCodec.time(in, row);
        String jobId = string(in);
        // a bid takes at least 4 bytes: its worker's number, an amount (2) and an estimate
        int n = count(in, varLong(in), Integer.MAX_VALUE, 4, "bids");
        List<Bid> bids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bids.add(new Bid(row.readWorker(in), amount(in), varLong(in)));
        }
        String chosen = in.readBoolean() ? row.readWorker(in) : null;
        return new Auction(jobId, bids, chosen, at);
    }
}
