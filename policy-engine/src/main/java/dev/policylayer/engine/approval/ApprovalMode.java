package dev.policylayer.engine.approval;

import java.util.Locale;

/** How a call that needs approval gets its decision ({@code tools.<name>.approval.mode}). */
public enum ApprovalMode {
    /** Ask the person at the MCP client, through the protocol ({@code elicitation/create}). */
    ASK,
    /** Hold the call open until an operator decides out of band, or the timeout. */
    HOLD,
    /** Answer {@code [APPROVAL REQUIRED]} with an id at once; the same call runs once it is approved. */
    ASYNC;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
