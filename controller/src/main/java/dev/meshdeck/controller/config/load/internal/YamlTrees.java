package dev.meshdeck.controller.config.load.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.meshdeck.controller.config.load.internal.Node.ListNode;
import dev.meshdeck.controller.config.load.internal.Node.MapNode;
import dev.meshdeck.controller.config.load.internal.Node.ScalarNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/** Reads one YAML document into a {@link Node} tree whose lines are lines of the whole file. */
public final class YamlTrees {
    private static final Pattern MARK = Pattern.compile("line (\\d+), column \\d+");

    private final YAMLFactory factory;

    /** @param maxChars the largest document read (SnakeYAML's own default limit is 3 MB) */
    public YamlTrees(int maxChars) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxChars);
        this.factory = YAMLFactory.builder().loaderOptions(options).build();
    }

    /**
     * Parses {@code text}, a single YAML document that starts on line {@code firstLine} of its file.
     *
     * @return the root node, or empty if the document holds nothing but comments and blank lines
     * @throws YamlSyntaxException if the text is not YAML, holds more than one document, or uses aliases
     */
    public Optional<Node> read(String text, int firstLine) throws YamlSyntaxException {
        int offset = firstLine - 1;
        try (YAMLParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            Node root = readValue(parser, offset);
            if (parser.nextToken() != null) {
                throw new YamlSyntaxException(line(parser, offset),
                        "more than one YAML document (expected: documents separated by --- lines)");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw new YamlSyntaxException(problemLine(e, offset), problem(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new YamlSyntaxException(firstLine, String.valueOf(e.getMessage()));
        }
    }

    private Node readValue(YAMLParser p, int offset) throws IOException, YamlSyntaxException {
        int line = line(p, offset);
        if (p.isCurrentAlias()) {
            throw new YamlSyntaxException(line, "YAML alias *" + p.getText()
                    + " is not supported by Meshdeck (expected: the value written out)");
        }
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                List<MapNode.Entry> entries = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p, offset);
                    p.nextToken();
                    entries.add(new MapNode.Entry(key, keyLine, readValue(p, offset)));
                }
                yield new MapNode(line, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p, offset));
                }
                yield new ListNode(line, items);
            }
            case VALUE_STRING -> new ScalarNode(line, ScalarNode.Type.STRING, p.getText());
            case VALUE_NUMBER_INT -> new ScalarNode(line, ScalarNode.Type.INTEGER, p.getBigIntegerValue().toString());
            case VALUE_NUMBER_FLOAT -> new ScalarNode(line, ScalarNode.Type.FLOAT, p.getText());
            case VALUE_TRUE, VALUE_FALSE -> new ScalarNode(line, ScalarNode.Type.BOOLEAN, p.getText());
            case VALUE_NULL -> new ScalarNode(line, ScalarNode.Type.NULL, "");
            default -> throw new YamlSyntaxException(line, "unexpected YAML token " + t);
        };
    }

    private static int line(YAMLParser p, int offset) {
        return p.currentTokenLocation().getLineNr() + offset;
    }

    /** SnakeYAML names the problem's place last in its message ("in 'reader', line 3, column 2"). */
    private static int problemLine(JsonProcessingException e, int offset) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher m = MARK.matcher(message);
        int line = -1;
        while (m.find()) {
            line = Integer.parseInt(m.group(1));
        }
        if (line < 0) {
            JsonLocation loc = e.getLocation();
            line = loc == null ? 1 : Math.max(1, loc.getLineNr());
        }
        return line + offset;
    }

    /** SnakeYAML's message without its "in 'reader'" lines and source excerpts. */
    private static String problem(String message) {
        if (message == null) {
            return "not valid YAML";
        }
        List<String> parts = new ArrayList<>();
        for (String l : message.split("\n")) {
            if (l.isBlank() || l.startsWith(" ")) {
                continue;
            }
            parts.add(l.strip());
        }
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }
}
