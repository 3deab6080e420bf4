package imagine.service;

import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.core.CancellationToken;
import imagine.core.ProgressListener;
import imagine.image.ChannelColors;
import imagine.image.RgbImage;
import imagine.model.Engines.DeviceChoice;
import java.nio.file.Path;

/**
 * One synthesis job for the {@link ImagineService}: the reference, the controls and settings, who
 * hears the progress, how to cancel it, and optionally where the model comes from and which device
 * runs it, for this job only (null = the service's defaults, which scripts set and a job never
 * changes). {@code colors} says what the samples are made of: by default gray for a gray reference
 * and RGB otherwise; a composite's channel colours give samples of those channels.
 */
public record SynthesisRequest(RgbImage reference, Controls controls, ImagineConfig config, ProgressListener listener,
        CancellationToken cancel, Path modelsFolder, DeviceChoice device, ChannelColors colors) {

    public SynthesisRequest {
        if (colors == null && reference != null) {
            colors = ChannelColors.forReference(reference);
        }
    }

    public static SynthesisRequest of(RgbImage reference, ImagineConfig config) {
        return new SynthesisRequest(reference, Controls.none(), config, ProgressListener.NONE, new CancellationToken(),
                null, null, ChannelColors.forReference(reference));
    }

    public SynthesisRequest withColors(ChannelColors c) {
        return new SynthesisRequest(reference, controls, config, listener, cancel, modelsFolder, device, c);
    }

    public SynthesisRequest withControls(Controls c) {
        return new SynthesisRequest(reference, c, config, listener, cancel, modelsFolder, device, colors);
    }

    public SynthesisRequest withListener(ProgressListener l) {
        return new SynthesisRequest(reference, controls, config, l, cancel, modelsFolder, device, colors);
    }

    public SynthesisRequest withCancel(CancellationToken t) {
        return new SynthesisRequest(reference, controls, config, listener, t, modelsFolder, device, colors);
    }

    public SynthesisRequest withModelsFolder(Path folder) {
        return new SynthesisRequest(reference, controls, config, listener, cancel, folder, device, colors);
    }

    public SynthesisRequest withDevice(DeviceChoice d) {
        return new SynthesisRequest(reference, controls, config, listener, cancel, modelsFolder, d, colors);
    }
}
