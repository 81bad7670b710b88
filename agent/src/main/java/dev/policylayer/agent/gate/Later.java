package dev.policylayer.agent.gate;

/**
 * How a call decided later ends: denied with a text, or let through, holding {@code settlement}.
 *
 * @param denial     the text the caller reads when denied, else null
 * @param settlement the allowed call's quota, else null
 */
public record Later(String denial, Settlement settlement) {
    public boolean denied() {
        return denial != null;
    }
}
