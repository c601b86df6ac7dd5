package dev.dlb.maven;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.Mojo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every goal and every parameter, nested ones included, is described in what the generated descriptors
 * hold (written at process-classes from the Javadoc): META-INF/maven/plugin.xml, which
 * {@code mvn help:describe} prints, the help descriptor that {@code mvn dlb:help} prints, and
 * target/plugin-enhanced.xml, from which {@code mvn site} writes the plugin's pages. Nested parameters
 * (the fields of {@code <web>}, {@code <balancer>}, ...) are listed in their parameter's description, one
 * item per field as {@code name: text} ({@code healthCheck > interval: text} one level further down), and
 * the items are exactly the fields there are. Generic: it reads whatever parameters and fields exist.
 */
class PluginDescriptionsTest {

    private static final Path CLASSES = Path.of("target/classes/META-INF/maven");
    /** help:describe reads plain text as HTML: what looks like a tag is dropped ("Command-line override of ."). */
    private static final Pattern TAG_LIKE = Pattern.compile("<[A-Za-z/!]");
    private static final Pattern JAVADOC_LEFTOVER = Pattern.compile("\\{@|@since|@param|@see");
    private static final Pattern HTML_ITEM = Pattern.compile("<li><code>([^<]+)</code>:\\s*(.*?)</li>", Pattern.DOTALL);

    record Parameter(String goal, String name, String type, String description) {

        String where() {
            return "goal " + goal + ", parameter " + name;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plugin.xml", "plugin-help.xml"})
    void everyGoalAndParameterHasAPlainTextDescriptionThatHelpPrintsWhole(String descriptor) throws Exception {
        Document doc = read(descriptor);
        List<Executable> checks = new ArrayList<>();
        for (Element mojo : children(doc.getDocumentElement(), "mojo")) {
            String goal = text(mojo, "goal");
            String description = text(mojo, "description");
            checks.add(() -> assertTrue(words(description) >= 3, descriptor + ": goal " + goal + " is not described"));
            if (!text(mojo, "implementation").endsWith(".HelpMojo")) { // the help goal's own text comes from maven-plugin-tools
                checks.add(() -> plainText(descriptor + ": goal " + goal, description));
            }
        }
        parameters(doc).forEach(p -> checks.add(() -> plainText(descriptor + ": " + p.where(), p.description())));
        assertTrue(parameters(doc).size() > 20, descriptor + " lists the parameters: " + parameters(doc).size());
        assertAll(checks);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plugin.xml", "plugin-help.xml"})
    void everyNestedParameterIsAnItemOfItsParametersPlainText(String descriptor) throws Exception {
        List<Executable> checks = new ArrayList<>();
        for (Parameter p : beanParameters(read(descriptor))) {
            Map<String, String> items = plainItems(p.description());
            checks.add(() -> sameItems(descriptor, p, items));
        }
        assertFalse(checks.isEmpty(), "no parameter of a nested type found in " + descriptor);
        assertAll(checks);
    }

    @ParameterizedTest
    @ValueSource(strings = "plugin-enhanced.xml")
    void everyNestedParameterIsAnItemOfItsParametersHtmlForThePluginPages(String descriptor) throws Exception {
        List<Executable> checks = new ArrayList<>();
        for (Parameter p : beanParameters(read(descriptor))) {
            Map<String, String> items = new LinkedHashMap<>();
            Matcher m = HTML_ITEM.matcher(p.description());
            while (m.find()) {
                items.put(m.group(1).replace("&gt;", ">"), m.group(2));
            }
            checks.add(() -> sameItems(descriptor, p, items));
        }
        assertFalse(checks.isEmpty(), "no parameter of a nested type found in " + descriptor);
        assertAll(checks);
    }

    /** The items are exactly the bean's fields, each with a sentence of its own. */
    private static void sameItems(String descriptor, Parameter p, Map<String, String> items) throws ClassNotFoundException {
        List<String> fields = nestedPaths(Class.forName(p.type()), "");
        String fix = " Fix: describe each in the Javadoc of the field " + p.name() + " as <li><code>NAME</code>: what it does, its default"
                + " and property</li> (NAME as 'healthCheck &gt; interval' one level further down), with no angle brackets in the text.";
        assertEquals(new TreeSet<>(fields), new TreeSet<>(items.keySet()),
                descriptor + ": " + p.where() + " must list its nested parameters, no more, no less." + fix);
        items.forEach((name, text) -> assertTrue(words(text) >= 3, descriptor + ": " + p.where() + " > " + name + " has no description." + fix));
    }

    /** The bean's settable fields, as the POM nests them: a list's items under their element's name. */
    static List<String> nestedPaths(Class<?> bean, String prefix) {
        List<String> paths = new ArrayList<>();
        for (Field field : bean.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                continue;
            }
            paths.add(prefix + field.getName());
            Class<?> type = field.getType();
            if (Collection.class.isAssignableFrom(type) && field.getGenericType() instanceof ParameterizedType list) {
                Class<?> item = (Class<?>) list.getActualTypeArguments()[0];
                if (isBean(item)) {
                    String element = Character.toLowerCase(item.getSimpleName().charAt(0)) + item.getSimpleName().substring(1);
                    paths.addAll(nestedPaths(item, prefix + element + " > "));
                }
            } else if (isBean(type)) {
                paths.addAll(nestedPaths(type, prefix + field.getName() + " > "));
            }
        }
        return paths;
    }

    private static boolean isBean(Class<?> type) {
        return type.getPackageName().equals(Web.class.getPackageName()) && !Mojo.class.isAssignableFrom(type);
    }

    private static void plainText(String where, String description) {
        assertTrue(words(description) >= 3, where + " is not described");
        assertFalse(TAG_LIKE.matcher(description).find(), where + ": help:describe would drop what looks like a tag in: " + description
                + " Fix: name XML elements without angle brackets (replicas in web) in the Javadoc.");
        assertFalse(JAVADOC_LEFTOVER.matcher(description).find(), where + ": Javadoc left in the text: " + description
                + " Fix: put block tags such as @since on a line of their own.");
        assertFalse(description.contains(" ."), where + ": something is missing before a full stop: " + description);
    }

    /** The items of a plain-text description: each {@code * name: text} line and the lines that continue it. */
    private static Map<String, String> plainItems(String description) {
        Map<String, String> items = new LinkedHashMap<>();
        String[] parts = description.split("\n\\* ");
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(": ");
            items.put(colon < 0 ? parts[i].strip() : parts[i].substring(0, colon), colon < 0 ? "" : parts[i].substring(colon + 2));
        }
        return items;
    }

    private static List<Parameter> beanParameters(Document doc) {
        return parameters(doc).stream().filter(p -> p.type().startsWith(Web.class.getPackageName() + ".")).toList();
    }

    private static List<Parameter> parameters(Document doc) {
        List<Parameter> all = new ArrayList<>();
        for (Element mojo : children(doc.getDocumentElement(), "mojo")) {
            for (Element parameter : children(mojo, "parameter")) {
                all.add(new Parameter(text(mojo, "goal"), text(parameter, "name"), text(parameter, "type"), text(parameter, "description")));
            }
        }
        return all;
    }

    private static Document read(String descriptor) throws Exception {
        Path file = descriptor.equals("plugin-enhanced.xml") ? Path.of("target", descriptor) : find(descriptor);
        assertTrue(Files.isRegularFile(file), file + " is missing: run through Maven, which writes it at process-classes");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Path find(String name) throws IOException {
        try (Stream<Path> walk = Files.walk(CLASSES)) {
            return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElse(CLASSES.resolve(name));
        }
    }

    private static List<Element> children(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return IntStream.range(0, nodes.getLength()).mapToObj(i -> (Element) nodes.item(i)).toList();
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }

    private static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }
}
