package dev.policylayer.engine.predicate;

import java.util.regex.Pattern;

/**
 * A regex matched against a whole value within a step budget, so that catastrophic backtracking cannot stall
 * a tool call. The budget counts the characters the regex engine reads (every backtrack re-reads), which is
 * deterministic: the same input always gets the same answer, whatever the machine's load.
 */
final class BoundedRegex {
    /** Reads allowed per input character, on top of {@link #BASE_BUDGET}: linear patterns use a handful. */
    private static final long READS_PER_CHAR = 64;
    /**
     * Reads allowed per character beyond the first {@link #GENEROUS_CHARS}. At 64 a 50 MB argument would let a
     * catastrophic pattern read 3.2 billion characters, tens of seconds, many times what receiving and parsing
     * the argument costs; 8 still leaves the linear patterns rules use (one to three reads a character) room.
     */
    private static final long READS_PER_CHAR_BEYOND = 8;
    private static final long GENEROUS_CHARS = 1_000_000;
    private static final long BASE_BUDGET = 100_000;

    enum Match { MATCHES, DOES_NOT_MATCH, TOO_COSTLY }

    private final Pattern pattern;

    BoundedRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    Match match(String input) {
        BudgetedChars chars = new BudgetedChars(input, budget(input.length()));
        try {
            return pattern.matcher(chars).matches() ? Match.MATCHES : Match.DOES_NOT_MATCH;
        } catch (BudgetExceeded exceeded) {
            return Match.TOO_COSTLY;
        } catch (StackOverflowError deepRecursion) {
            // Some patterns recurse per character; a huge input is then refused rather than crashing the call.
            return Match.TOO_COSTLY;
        }
    }

    /** The character reads a match on an input of {@code length} characters may take. */
    static long budget(int length) {
        long generous = Math.min(length, GENEROUS_CHARS);
        return BASE_BUDGET + READS_PER_CHAR * generous + READS_PER_CHAR_BEYOND * (length - generous);
    }

    String source() {
        return pattern.pattern();
    }

    /** Thrown through the regex engine to stop it; carries no stack trace, it is control flow. */
    private static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    private static final class BudgetedChars implements CharSequence {
        private final String text;
        private final int offset;
        private final int length;
        private final long[] remaining;

        BudgetedChars(String text, long budget) {
            this(text, 0, text.length(), new long[] {budget});
        }

        private BudgetedChars(String text, int offset, int length, long[] remaining) {
            this.text = text;
            this.offset = offset;
            this.length = length;
            this.remaining = remaining;
        }

        @Override
        public char charAt(int index) {
            if (--remaining[0] < 0) {
                throw new BudgetExceeded();
            }
            return text.charAt(offset + index);
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(text, offset + start, end - start, remaining);
        }

        @Override
        public String toString() {
            return text.substring(offset, offset + length);
        }
    }
}
