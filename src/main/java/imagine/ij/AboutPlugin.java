package imagine.ij;

import ij.IJ;
import ij.plugin.PlugIn;

/** About IMAGINE: what it is and where the models go. */
public final class AboutPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        String v = AboutPlugin.class.getPackage().getImplementationVersion();
        IJ.showMessage("About IMAGINE", "IMAGINE for Fiji " + (v == null ? "(development build)" : v) + "\n \n"
                + "Image synthesis from one reference image by image-guided model inversion\n"
                + "(Wang, Li, Singh, Lu, Vasconcelos, CVPR 2021), on DJL and PyTorch.\n \n"
                + "Models folder: IMAGINE Settings, -Dimagine.models or $IMAGINE_MODELS; else the one\n"
                + "the update site installs (models/imagine in the Fiji folder), else ~/.imagine/models.\n"
                + "One folder per model id (default: mobilenet_v1_0.75_224).");
    }
}
