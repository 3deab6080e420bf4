package imagine.ij;

import ij.IJ;
import imagine.service.ImagineService;
import org.scijava.Context;

/**
 * Finds the ImagineService: Fiji's own SciJava context when running inside Fiji, otherwise one
 * context of the plugin's own, created once (plain ImageJ would build a new context on every
 * IJ.runPlugIn call).
 */
final class Services {

    private static Context own;

    private Services() {}

    static synchronized ImagineService imagine() {
        if (isFiji()) {
            Object ctx = IJ.runPlugIn("org.scijava.Context", "");
            if (ctx instanceof Context c) {
                ImagineService s = c.getService(ImagineService.class);
                if (s != null) {
                    return s;
                }
            }
        }
        if (own == null) {
            // SciJava reads its plugin index through the context class loader, which inside
            // ImageJ is not the one that loaded this plugin's jar.
            Thread t = Thread.currentThread();
            ClassLoader old = t.getContextClassLoader();
            t.setContextClassLoader(Services.class.getClassLoader());
            try {
                own = new Context(ImagineService.class);
            } finally {
                t.setContextClassLoader(old);
            }
        }
        return own.getService(ImagineService.class);
    }

    private static boolean isFiji() {
        try {
            Class.forName("net.imagej.legacy.LegacyService", false, Services.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
