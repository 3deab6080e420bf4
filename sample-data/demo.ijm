// IMAGINE demo: opens the sample cat, synthesizes two new images with the fast preset,
// and saves the result stack next to this macro as imagine-demo-<n>.tif (never overwriting).
// Run it from Fiji (Plugins>Macros>Run...) after IMAGINE Settings has found the models.
// The folder holding chelsea.png: the macro's own folder, or the macro's argument when given.
dir = getArgument();
if (dir == "")
    dir = File.getDirectory(getInfo("macro.filepath"));
if (dir != "" && !endsWith(dir, File.separator))
    dir = dir + File.separator;
if (dir == "" || !File.exists(dir + "chelsea.png"))
    exit("Run this macro from the sample-data folder of IMAGINE (it opens chelsea.png beside it).");
open(dir + "chelsea.png");
run("IMAGINE Synthesize...", "samples=2 width=224 height=224 iterations=0 seed=0 preset=fast model=mobilenet_v1_0.75_224 class=-1");
if (!startsWith(getTitle(), "IMAGINE "))
    exit("IMAGINE did not produce a result; see the Log window.");
n = 1;
while (File.exists(dir + "imagine-demo-" + n + ".tif"))
    n++;
saveAs("Tiff", dir + "imagine-demo-" + n + ".tif");
print("IMAGINE demo: saved " + dir + "imagine-demo-" + n + ".tif (" + nSlices + " samples)");
