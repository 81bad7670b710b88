package dev.policylayer.it.starter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * An ordinary Spring Boot MCP server, as Spring AI's starter users write one: the tools are annotated methods, the
 * starter serves them (over HTTP, or stdio with {@code spring.ai.mcp.server.stdio=true}). It knows nothing of the
 * agent. Over HTTP it prints {@code PORT <n>} once it listens; every tool that really runs appends its name to the
 * file {@code fixture.runlog} names.
 */
@SpringBootApplication
public class StarterApp {

    public static void main(String[] args) {
        SpringApplication.run(StarterApp.class, args);
    }

    @Bean
    ToolCallbackProvider shopTools() {
        return MethodToolCallbackProvider.builder().toolObjects(new ShopTools()).build();
    }

    @Bean
    ApplicationRunner printPort(Environment environment) {
        return arguments -> {
            String port = environment.getProperty("local.server.port");
            if (port != null) {
                System.out.println("PORT " + port);
                System.out.flush();
            }
        };
    }

    /** The shop's tools. */
    public static final class ShopTools {

        @Tool(name = "echo", description = "Echoes the text")
        public String echo(@ToolParam(description = "what to echo") String text) {
            ran("echo");
            return "echo: " + text;
        }

        @Tool(name = "delete_account", description = "Deletes an account")
        public String deleteAccount(@ToolParam(description = "the account") String account) {
            ran("delete_account");
            return "deleted " + account;
        }

        @Tool(name = "drop_table", description = "Drops a table")
        public String dropTable(@ToolParam(description = "the table") String table) {
            ran("drop_table");
            return "dropped " + table;
        }

        @Tool(name = "create_refund", description = "Refunds an order")
        public String createRefund(@ToolParam(description = "how much") double amount,
                                   @ToolParam(description = "why") String reason) {
            ran("create_refund");
            return "refunded " + amount;
        }

        @Tool(name = "limited", description = "A tool with a rate limit")
        public String limited() {
            ran("limited");
            return "limited ran";
        }

        @Tool(name = "flaky", description = "Throws when asked to")
        public String flaky(@ToolParam(description = "whether to throw") boolean fail) {
            if (fail) {
                ran("flaky threw");
                throw new IllegalStateException("flaky threw");
            }
            ran("flaky");
            return "flaky ran";
        }

        private static void ran(String line) {
            String log = System.getProperty("fixture.runlog");
            if (log == null) {
                return;
            }
            try {
                Files.writeString(Path.of(log), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException unwritable) {
                throw new IllegalStateException("cannot write the run log", unwritable);
            }
        }
    }
}
