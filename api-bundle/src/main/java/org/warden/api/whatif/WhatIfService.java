package org.warden.api.whatif;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Replays the history the durable store retains under a candidate policy and reports what would have been different.
 * An operator's question, not the distributor's: a replay of a week may take a while, on the caller's thread. The
 * live engine's state is not changed.
 */
@ProviderType
public interface WhatIfService {

    /**
     * Replays the history since {@code request.since()} ago under the candidate policy, in an isolated engine.
     *
     * @param progress told how far the replay is, from the caller's thread; {@link WhatIfProgress#NONE} for nothing
     * @throws IllegalArgumentException if the request names a policy that is not installed, or an override the
     *                                  policy refuses (the message names the key)
     * @throws IllegalStateException    if the history asked for is not retained (the message says since when it is),
     *                                  or no history is kept at all (memory-only store)
     * @throws java.util.concurrent.CancellationException if the calling thread was interrupted (Ctrl-C in the shell)
     */
    WhatIfReport whatIf(WhatIfRequest request, WhatIfProgress progress);
}
