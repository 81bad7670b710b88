package dev.policylayer.engine.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed policy gets a specific error: where (file, line/column, JSON pointer), what, and a fix. */
class PolicyProblemsTest {

    @TempDir
    Path dir;

    private List<PolicyProblem> problemsOf(String fileName, String text) throws Exception {
        Path file = dir.resolve(fileName);
        Files.writeString(file, text);
        return problemsOf(Map.of("policylayer.policy", file.toString()));
    }

    private static List<PolicyProblem> problemsOf(Map<String, String> settings) {
        PolicyLoadException failure = assertThrows(PolicyLoadException.class,
                () -> PolicyLoader.load(Settings.of(settings)));
        assertTrue(failure.getMessage().contains(failure.problems().get(0).describe()));
        return failure.problems();
    }

    private static PolicyProblem only(List<PolicyProblem> problems) {
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        return problems.get(0);
    }

    private static String doc(String tools) {
        return "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{" + tools + "}}";
    }

    @Test
    void theApprovalExtensionIsValidatedWithLocatedErrors() throws Exception {
        PolicyProblem notApproval = only(problemsOf("a.json", doc("\"t\": {\"approval\": {\"mode\": \"ask\"}}")));
        assertEquals("/tools/t/approval", notApproval.pointer());
        assertTrue(notApproval.message().contains("action is not require_approval"), notApproval.message());
        List<PolicyProblem> bad = problemsOf("b.json", doc("\"t\": {\"action\": \"require_approval\", \"approval\":"
                + " {\"mode\": [\"ask\", \"later\"], \"uses\": 0, \"valid_for\": \"soon\", \"colour\": 1}}"));
        List<String> pointers = bad.stream().map(PolicyProblem::pointer).toList();
        assertTrue(pointers.containsAll(List.of("/tools/t/approval/mode/1", "/tools/t/approval/uses",
                "/tools/t/approval/valid_for", "/tools/t/approval/colour")), bad.toString());
        assertTrue(bad.stream().anyMatch(p -> p.message().contains("one of ask, hold, async")), bad.toString());
    }

    @Test
    void invalidJsonSaysWhereInTheFile() throws Exception {
        PolicyProblem p = only(problemsOf("p.json", "{\n  \"version\": \"1\",\n  \"default\": deny\n}"));
        assertTrue(p.source().endsWith("p.json"));
        assertEquals("line 3, column 14", p.location());
        assertTrue(p.message().startsWith("invalid JSON"), p.message());
    }

    @Test
    void invalidYamlSaysWhereInTheFile() throws Exception {
        PolicyProblem p = only(problemsOf("p.yaml", "version: \"1\"\ndefault: [deny\n"));
        assertTrue(p.message().startsWith("invalid YAML"), p.message());
        assertNotNull(p.location());
    }

    @Test
    void missingVersionAndDefaultAreBothReported() throws Exception {
        List<PolicyProblem> problems = problemsOf("p.json", "{\"tools\":{}}");
        assertEquals(List.of("/version", "/default"), problems.stream().map(PolicyProblem::pointer).toList());
        assertEquals("add \"version\": \"1\"", problems.get(0).suggestion());
    }

    @Test
    void unsupportedVersionAndDefault() throws Exception {
        List<PolicyProblem> problems = problemsOf("p.json", "{\"version\":\"2\",\"default\":\"maybe\"}");
        assertEquals(2, problems.size());
        assertTrue(problems.get(1).message().contains("\"maybe\""));
    }

    @Test
    void unknownFieldsAreNamedWithTheNearestKnownOne() throws Exception {
        PolicyProblem p = only(problemsOf("p.json", doc("\"create_refund\":{\"deny-if\":[]}")));
        assertEquals("/tools/create_refund/deny-if", p.pointer());
        assertEquals("did you mean \"deny_if\"?", p.suggestion());
        assertEquals("line 1, column 59", p.location());
        PolicyProblem top = only(problemsOf("p2.json", "{\"version\":\"1\",\"default\":\"deny\",\"tool\":{}}"));
        assertEquals("did you mean \"tools\"?", top.suggestion());
        PolicyProblem condition = only(problemsOf("p3.json", doc("\"x\":{\"require\":[{\"path\":\"args.a\","
                + "\"op\":\"exists\",\"value\":true,\"vaule\":1}]}")));
        assertEquals("/tools/x/require/0/vaule", condition.pointer());
        assertEquals("did you mean \"value\"?", condition.suggestion());
    }

    @Test
    void unknownOperatorAndWrongValueTypes() throws Exception {
        PolicyProblem op = only(problemsOf("p.json", doc("\"x\":{\"deny_if\":[{\"path\":\"args.a\",\"op\":\"gte_\","
                + "\"value\":1}]}")));
        assertEquals("/tools/x/deny_if/0/op", op.pointer());
        assertEquals("did you mean \"gte\"?", op.suggestion());
        PolicyProblem in = only(problemsOf("p2.json", doc("\"x\":{\"deny_if\":[{\"path\":\"args.a\",\"op\":\"in\","
                + "\"value\":\"a\"}]}")));
        assertEquals("/tools/x/deny_if/0/value", in.pointer());
        assertTrue(in.message().contains("an array"), in.message());
        PolicyProblem gt = only(problemsOf("p3.json", doc("\"x\":{\"deny_if\":[{\"path\":\"args.a\",\"op\":\"gt\","
                + "\"value\":\"lots\"}]}")));
        assertTrue(gt.message().contains("a number"), gt.message());
    }

    @Test
    void invalidRegexIsReportedAtLoad() throws Exception {
        PolicyProblem p = only(problemsOf("p.json", doc("\"x\":{\"deny_if\":[{\"path\":\"args.q\",\"op\":\"regex\","
                + "\"value\":\"([a-z\"}]}")));
        assertEquals("/tools/x/deny_if/0/value", p.pointer());
        assertTrue(p.message().startsWith("invalid regex"), p.message());
    }

    @Test
    void limitsWithBadMaxWindowScopeOrAlgorithm() throws Exception {
        List<PolicyProblem> problems = problemsOf("p.json", doc("\"x\":{\"limits\":["
                + "{\"counter\":\"a\",\"window\":\"minute\",\"max\":0},"
                + "{\"counter\":\"b\",\"window\":\"fortnight\",\"max\":1},"
                + "{\"counter\":\"c\",\"window\":\"minute\",\"max\":1,\"scope\":\"sesion\"},"
                + "{\"counter\":\"d\",\"window\":\"minute\",\"max\":1,\"algorithm\":\"leaky\"},"
                + "{\"counter\":\"e\",\"window\":0.5,\"max\":1},"
                + "{\"counter\":\"f\",\"window\":\"minute\",\"max\":-3}]}"));
        Map<String, PolicyProblem> byPointer = new HashMap<>();
        problems.forEach(p -> byPointer.put(p.pointer(), p));
        assertTrue(byPointer.get("/tools/x/limits/0/max").message().contains("greater than 0"));
        assertTrue(byPointer.get("/tools/x/limits/1/window").message().contains("got \"fortnight\""));
        assertEquals("did you mean \"session\"?", byPointer.get("/tools/x/limits/2/scope").suggestion());
        assertTrue(byPointer.get("/tools/x/limits/3/algorithm").message().contains("sliding, fixed"));
        assertNotNull(byPointer.get("/tools/x/limits/4/window"));
        assertNotNull(byPointer.get("/tools/x/limits/5/max"));
        assertEquals(6, problems.size(), problems::toString);
    }

    @Test
    void duplicateCounterNamesMustAgree() throws Exception {
        PolicyProblem p = only(problemsOf("p.json", doc("\"a\":{\"limits\":[{\"counter\":\"shared\",\"window\":"
                + "\"minute\",\"max\":5}]},\"b\":{\"limits\":[{\"counter\":\"shared\",\"window\":\"hour\",\"max\":5}]}")));
        assertEquals("/tools/b/limits/0", p.pointer());
        assertTrue(p.message().contains("/tools/a/limits/0"), p.message());
        // The same counter with the same settings is one shared counter, and fine.
        PolicyLoader.load(Settings.of(Map.of("policylayer.policy", doc("\"a\":{\"limits\":[{\"counter\":\"s\","
                + "\"window\":\"minute\",\"max\":5}]},\"b\":{\"limits\":[{\"counter\":\"s\",\"window\":60,\"max\":5}]}"))));
    }

    @Test
    void duplicateKeysInTheDocumentAreRefused() throws Exception {
        PolicyProblem p = only(problemsOf("p.json", "{\"version\":\"1\",\"default\":\"allow\",\"default\":\"deny\"}"));
        assertEquals("/default", p.pointer());
        assertTrue(p.message().startsWith("duplicate key"), p.message());
    }

    @Test
    void malformedLimitProperty() {
        PolicyProblem p = only(problemsOf(Map.of("policylayer.default", "allow",
                "policylayer.limit.search", "ten per minute")));
        assertEquals("policylayer.limit.search", p.pointer());
        assertTrue(p.message().contains("10/minute"), p.message());
        only(problemsOf(Map.of("policylayer.limit.search", "10/fortnight")));
        only(problemsOf(Map.of("policylayer.limit.search", "0/minute")));
    }

    @Test
    void aMissingFileOrADirectoryIsNamed() {
        PolicyProblem missing = only(problemsOf(Map.of("policylayer.policy", dir.resolve("nope.json").toString())));
        assertTrue(missing.message().contains("does not exist"), missing.message());
        assertTrue(missing.source().endsWith("nope.json"));
        PolicyProblem directory = only(problemsOf(Map.of("policylayer.policy", dir.toString())));
        assertTrue(directory.message().contains("directory"), directory.message());
    }

    @Test
    void aPathThatCannotBeReadIsNamed() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain.txt"), "x");
        PolicyProblem p = only(problemsOf(Map.of("policylayer.policy",
                notADirectory.resolve("policy.json").toString())));
        assertTrue(p.message().startsWith("policy file cannot be read"), p.message());
    }

    @Test
    void noPolicyAtAllIsAProblemNotAnAllow() {
        PolicyProblem p = only(problemsOf(Map.of()));
        assertTrue(p.message().startsWith("no policy configured"), p.message());
    }

    @Test
    void emptyDocumentAndWrongShapes() throws Exception {
        assertTrue(only(problemsOf("p.json", "")).message().contains("empty"));
        assertEquals("", only(problemsOf("p2.json", "[1,2]")).pointer());
        PolicyProblem hide = only(problemsOf("p3.json", "{\"version\":\"1\",\"default\":\"deny\",\"hide\":\"x\"}"));
        assertEquals("/hide", hide.pointer());
        PolicyProblem action = only(problemsOf("p4.json", doc("\"x\":{\"action\":\"block\"}")));
        assertEquals("/tools/x/action", action.pointer());
    }
}
