package dev.policylayer.engine.predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every operator of the spec, with the awkward values a model or a hostile caller might send. */
class PredicateOperatorsTest {

    private static Result test(String op, Object ruleValue, Object argument) throws InvalidPredicateException {
        Map<String, Object> args = new HashMap<>();
        args.put("x", argument);
        return Predicate.compile("args.x", op, ruleValue).test(args);
    }

    private static BigDecimal n(String text) {
        return new BigDecimal(text);
    }

    @Test
    void numbersCompareExactlyWhateverTheirSpelling() throws Exception {
        assertEquals(Result.HOLDS, test("eq", n("1e3"), 1000));
        assertEquals(Result.HOLDS, test("eq", n("1000"), n("1E+3")));
        assertEquals(Result.HOLDS, test("eq", n("1000"), 1000.0d));
        assertEquals(Result.HOLDS, test("eq", n("0.1"), 0.1d), "a double is read as the decimal it prints as");
        assertEquals(Result.HOLDS, test("gt", n("10000"), BigInteger.valueOf(10001)));
        assertEquals(Result.DOES_NOT_HOLD, test("gt", n("10000"), 10000L));
        assertEquals(Result.HOLDS, test("gte", n("10000"), 10000));
        assertEquals(Result.HOLDS, test("lt", n("0.3"), n("0.29999999999999999999")));
        assertEquals(Result.HOLDS, test("lte", n("-5"), (short) -5));
    }

    @Test
    void numericStringsAreComparedAsTheNumberTheySpell() throws Exception {
        assertEquals(Result.HOLDS, test("gt", n("10000"), "50000"));
        assertEquals(Result.HOLDS, test("gt", n("10000"), "1e5"));
        assertEquals(Result.HOLDS, test("eq", n("1000"), "1000.00"));
        assertEquals(Result.HOLDS, test("in", List.of(n("1"), n("2")), "2"));
        assertEquals(Result.HOLDS, test("not_in", List.of(n("1"), n("2")), "3"));
    }

    @Test
    void valuesThatCannotBeComparedAreReportedSoTheEvaluatorFailsClosed() throws Exception {
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), "ten"));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), true));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), Map.of("a", 1)));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), Double.NaN));
        assertEquals(Result.INCOMPARABLE, test("lt", n("10"), Double.NEGATIVE_INFINITY));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), "NaN"));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), "Infinity"));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), null));
        assertEquals(Result.INCOMPARABLE, test("regex", ".*", 42));
        assertEquals(Result.INCOMPARABLE, test("starts_with", "a", List.of("a")));
        assertEquals(Result.INCOMPARABLE, test("len_gt", n("2"), 12345));
        assertEquals(Result.INCOMPARABLE, test("gt", n("10"), "9".repeat(JsonNumbers.MAX_NUMERIC_STRING + 1)),
                "an absurdly long numeric string is not parsed");
    }

    @Test
    void equalityOfStringsBooleansNullAndStructures() throws Exception {
        assertEquals(Result.HOLDS, test("eq", "prod", "prod"));
        assertEquals(Result.DOES_NOT_HOLD, test("eq", "prod", "Prod"), "no case folding");
        assertEquals(Result.HOLDS, test("neq", "prod", "staging"));
        assertEquals(Result.DOES_NOT_HOLD, test("eq", n("1"), true), "true is not the number 1");
        assertEquals(Result.HOLDS, test("eq", true, true));
        assertEquals(Result.HOLDS, test("eq", null, null));
        assertEquals(Result.HOLDS, test("eq", List.of(n("1"), "a"), List.of(1, "a")));
        assertEquals(Result.HOLDS, test("eq", Map.of("k", n("2")), Map.of("k", 2L)));
        assertEquals(Result.DOES_NOT_HOLD, test("eq", Map.of("k", n("2")), Map.of("k", 2L, "j", 1)));
        assertEquals(Result.HOLDS, test("in", List.of("a", "b"), "b"));
        assertEquals(Result.DOES_NOT_HOLD, test("in", List.of("a", "b"), "c"));
        assertEquals(Result.HOLDS, test("not_in", List.of("a", "b"), "c"));
    }

    @Test
    void stringAndCollectionOperators() throws Exception {
        assertEquals(Result.HOLDS, test("contains", "DROP", "please DROP TABLE x"));
        assertEquals(Result.HOLDS, test("contains", "admin", Arrays.asList("user", "admin")));
        assertEquals(Result.HOLDS, test("contains", n("3"), List.of(1, 2, 3)));
        assertEquals(Result.DOES_NOT_HOLD, test("contains", "root", List.of("user")));
        assertEquals(Result.HOLDS, test("starts_with", "/etc/", "/etc/passwd"));
        assertEquals(Result.HOLDS, test("ends_with", ".pem", "key.pem"));
        assertEquals(Result.HOLDS, test("len_gt", n("3"), "abcd"));
        assertEquals(Result.DOES_NOT_HOLD, test("len_gt", n("3"), "abc"));
        assertEquals(Result.HOLDS, test("len_lte", n("2"), List.of(1, 2)));
        assertEquals(Result.HOLDS, test("len_lte", n("1"), Map.of("a", 1)));
        assertEquals(Result.HOLDS, test("len_lte", n("1"), "\uD83D\uDE00"), "length counts code points");
        assertEquals(Result.HOLDS, test("regex", "[a-z]+", "abc"));
        assertEquals(Result.DOES_NOT_HOLD, test("regex", "[a-z]+", "abc1"), "the whole value must match");
    }

    @Test
    void missingPathsAreMissingExceptUnderExists() throws Exception {
        Predicate gt = Predicate.compile("args.amount", "gt", n("10"));
        assertEquals(Result.MISSING, gt.test(Map.of()));
        assertEquals(Result.HOLDS, Predicate.compile("args.reason", "exists", false).test(Map.of()));
        assertEquals(Result.MISSING, Predicate.compile("args.reason", "exists", true).test(Map.of()));
        assertEquals(Result.HOLDS, Predicate.compile("args.reason", "exists", true).test(Map.of("reason", "x")));
        Map<String, Object> nullReason = new HashMap<>();
        nullReason.put("reason", null);
        assertEquals(Result.HOLDS, Predicate.compile("args.reason", "exists", true).test(nullReason),
                "JSON null is present");
    }

    @Test
    void nestedAndArrayPaths() throws Exception {
        Map<String, Object> args = Map.of("order", Map.of("lines", List.of(Map.of("qty", 5), Map.of("qty", 500))));
        assertEquals(Result.HOLDS, Predicate.compile("args.order.lines[1].qty", "gt", n("100")).test(args));
        assertEquals(Result.DOES_NOT_HOLD, Predicate.compile("args.order.lines[0].qty", "gt", n("100")).test(args));
        assertEquals(Result.MISSING, Predicate.compile("args.order.lines[2].qty", "gt", n("100")).test(args));
        assertEquals(Result.MISSING, Predicate.compile("args.order.lines.qty", "gt", n("100")).test(args),
                "a name does not index an array");
        assertEquals(Result.MISSING, Predicate.compile("args.order[0]", "gt", n("1")).test(args),
                "an index does not look into an object");
    }

    @Test
    void compileRejectsWrongValueTypesAndSuggestsOperators() {
        InvalidPredicateException unknown = assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "greater", n("1")));
        assertEquals("op", unknown.field());
        InvalidPredicateException typo = assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "not-in", List.of()));
        assertEquals("did you mean \"not_in\"?", typo.suggestion());
        assertEquals("value", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "in", "a")).field());
        assertEquals("value", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "gt", "ten")).field());
        assertEquals("value", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "len_gt", n("1.5"))).field());
        assertEquals("value", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "exists", "yes")).field());
        InvalidPredicateException regex = assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.x", "regex", "(unclosed"));
        assertTrue(regex.getMessage().startsWith("invalid regex"), regex.getMessage());
        assertEquals("path", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("amount", "gt", n("1"))).field());
        assertEquals("path", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.a..b", "gt", n("1"))).field());
        assertEquals("path", assertThrows(InvalidPredicateException.class,
                () -> Predicate.compile("args.a[x]", "gt", n("1"))).field());
    }

    @Test
    void explanationsNameThePathAndRuleButNeverTheArgumentValue() throws Exception {
        Predicate gt = Predicate.compile("args.amount", "gt", n("10000"));
        String secret = "123456789-secret";
        Result result = gt.test(Map.of("amount", secret));
        assertEquals(Result.INCOMPARABLE, result);
        String explanation = gt.explain(result);
        assertTrue(explanation.contains("args.amount"), explanation);
        assertFalse(explanation.contains(secret), explanation);
        assertEquals("args.amount gt 10000 holds", gt.explain(Result.HOLDS));
    }
}
