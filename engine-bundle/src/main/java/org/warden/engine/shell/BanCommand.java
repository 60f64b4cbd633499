package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.Ban;
import org.warden.api.PenaltyService;

@Command(scope = "warden", name = "ban", description = "Bans a worker, for good or for a while.")
@Service
public class BanCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Argument(index = 1, name = "reason", description = "Why (several words allowed)", required = true, multiValued = true)
    List<String> reason;

    @Option(name = "--duration", aliases = "-d", description = "How long: 30m, 2h, 7d or ISO-8601 (PT30M); for good when absent")
    String duration;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() {
        Ban ban = penalties.ban(id, words(reason), duration(duration));
        System.out.println("Banned " + ban.workerId() + (ban.until() == null ? " for good" : " until " + ban.until()));
        return null;
    }
}
