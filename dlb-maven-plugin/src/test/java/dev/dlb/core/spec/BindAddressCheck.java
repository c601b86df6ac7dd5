package dev.dlb.core.spec;

import dev.dlb.core.testing.SpecBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Run in a child JVM whose only name service is a hosts file: prints what each argument resolves to
 * there, then whether the validator accepts it as a bind address.
 */
public final class BindAddressCheck {

    private BindAddressCheck() {
    }

    public static void main(String[] addresses) {
        for (String address : addresses) {
            System.out.println("resolves " + address + " " + resolve(address));
            SpecBuilder b = SpecBuilder.spec().bindAddress(address);
            try {
                SpecValidator.requireValid(b.stack(), b.confd());
                System.out.println("accepts " + address);
            } catch (InvalidSpecException e) {
                System.out.println("rejects " + address);
            }
        }
    }

    private static String resolve(String name) {
        try {
            return InetAddress.getByName(name).getHostAddress();
        } catch (UnknownHostException e) {
            return "nothing";
        }
    }
}
