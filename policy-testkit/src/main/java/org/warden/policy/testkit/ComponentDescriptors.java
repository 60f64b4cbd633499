package org.warden.policy.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The component descriptions bnd generates from a component's Declarative Services annotations
 * ({@code OSGI-INF/<name>.xml} in the build output, written before the tests run), so that a policy's tests can
 * check what it is registered as: bnd registers every interface a component implements unless {@code service} says
 * which, and the engine looks a policy up by {@code WardenPolicy} alone.
 */
public final class ComponentDescriptors {
    private ComponentDescriptors() {
    }

    /**
     * The service interfaces the component named {@code name} is registered under, in the order of its description.
     *
     * @param component a class of the bundle, whose class loader reads the description
     * @throws IllegalStateException if there is no such description, or it cannot be read
     */
    public static List<String> provided(Class<?> component, String name) {
        String resource = "OSGI-INF/" + name + ".xml";
        try (InputStream in = component.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no component description " + resource + " (not built by bnd?)");
            }
            // bnd writes <provide> unprefixed, inside the prefixed scr:component
            NodeList provides = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
                    .getElementsByTagName("provide");
            List<String> interfaces = new ArrayList<>();
            for (int i = 0; i < provides.getLength(); i++) {
                interfaces.add(((Element) provides.item(i)).getAttribute("interface"));
            }
            return interfaces;
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("could not read the component description " + resource, e);
        }
    }
}
