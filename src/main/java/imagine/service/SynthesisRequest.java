package imagine.service;

import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.core.CancellationToken;
import imagine.core.ProgressListener;
import imagine.image.RgbImage;
import imagine.model.Engines.DeviceChoice;
import java.nio.file.Path;

/**
 * One synthesis job for the {@link ImagineService}: the reference, the controls and settings, who
 * hears the progress, how to cancel it, and optionally where the model comes from and which device
 * runs it, for this job only (null = the service's defaults, which scripts set and a job never
 * changes).
 */
public record SynthesisRequest(RgbImage reference, Controls controls, ImagineConfig config, ProgressListener listener,
        CancellationToken cancel, Path modelsFolder, DeviceChoice device) {

    public static SynthesisRequest of(RgbImage reference, ImagineConfig config) {
        return new SynthesisRequest(reference, Controls.none(), config, ProgressListener.NONE, new CancellationToken(),
                null, null);
    }

    public SynthesisRequest withControls(Controls c) {
        return new SynthesisRequest(reference, c, config, listener, cancel, modelsFolder, device);
    }

    public SynthesisRequest withListener(ProgressListener l) {
        return new SynthesisRequest(reference, controls, config, l, cancel, modelsFolder, device);
    }

    public SynthesisRequest withCancel(CancellationToken t) {
        return new SynthesisRequest(reference, controls, config, listener, t, modelsFolder, device);
    }

    public SynthesisRequest withModelsFolder(Path folder) {
        return new SynthesisRequest(reference, controls, config, listener, cancel, folder, device);
    }

    public SynthesisRequest withDevice(DeviceChoice d) {
        return new SynthesisRequest(reference, controls, config, listener, cancel, modelsFolder, d);
    }
}
