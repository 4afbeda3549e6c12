/** Starts Camel JBang's command line (camel-jbang-core has no main method of its own). */
public class CamelJBang {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
