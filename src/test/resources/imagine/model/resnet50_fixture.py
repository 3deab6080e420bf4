# Writes a ResNet-50 fixture for ResNet50EquivalenceTest into the folder argv[1]: torchvision's
# resnet50 with random weights (nothing downloaded) and randomized batch-norm statistics, saved as
# model.safetensors (written by hand: python3-safetensors is not in Debian), a random input and
# torchvision's logits and layer2 output for it, all float32 little-endian.
import json, struct, sys
import torch, torchvision

out = sys.argv[1]
torch.manual_seed(0)
m = torchvision.models.resnet50()
for mod in m.modules():
    if isinstance(mod, torch.nn.BatchNorm2d):
        mod.running_mean.uniform_(-0.1, 0.1)
        mod.running_var.uniform_(0.5, 1.5)
        mod.weight.data.uniform_(0.5, 1.5)
        mod.bias.data.uniform_(-0.1, 0.1)
m.eval()
state = {k: v.detach().float().contiguous() for k, v in m.state_dict().items() if v.dtype.is_floating_point}
header, blobs, off = {}, [], 0
for k, v in state.items():
    b = v.numpy().astype('<f4').tobytes()
    header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
    off += len(b)
    blobs.append(b)
h = json.dumps(header).encode()
h += b' ' * ((8 - len(h) % 8) % 8)
with open(out + '/model.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', len(h)))
    f.write(h)
    for b in blobs:
        f.write(b)
x = torch.rand(2, 3, 96, 128, generator=torch.Generator().manual_seed(1))
mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
feats = {}
m.layer2.register_forward_hook(lambda mod, i, o: feats.__setitem__('layer2', o))
with torch.no_grad():
    y = m((x - mean) / std)
x.numpy().astype('<f4').tofile(out + '/input.bin')
y.numpy().astype('<f4').tofile(out + '/logits.bin')
feats['layer2'].numpy().astype('<f4').tofile(out + '/layer2.bin')
print("torch", torch.__version__, "torchvision", torchvision.__version__, "logits max", float(y.abs().max()))
