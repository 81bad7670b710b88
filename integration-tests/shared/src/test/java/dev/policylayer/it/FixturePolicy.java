package dev.policylayer.it;

/** The policy every fixture server and client runs under. */
final class FixturePolicy {
    static final String JSON = """
            {
              "version": "1",
              "default": "allow",
              "hide": ["delete_account"],
              "tools": {
                "drop_table": { "action": "deny", "reason": "Schema changes go through migrations." },
                "create_refund": {
                  "require": [ {"path": "args.reason", "op": "exists", "value": true} ],
                  "deny_if": [ {"path": "args.amount", "op": "gt", "value": 10000} ]
                },
                "limited": { "rate_limit": { "max": 2, "window": 1 } },
                "flaky": { "limits": [ {"counter": "flaky", "window": "minute", "max": 2} ] }
              }
            }""";

    private FixturePolicy() {
    }
}
