// The answer file's install image for a spec: read from its media's image list and picked by
// edition, so Setup installs by index whatever the media calls the edition.
import { mediaFilePath, type VmSpec } from '../../../../../contract';
import { EXIT, SupervisorError } from '../../../exit-codes';
import { cachedImageList, mediumKey } from './image-list-cache';
import { pickInstallImage } from './pick-image';
import { readIsoImages } from './read-iso-images';

/**
 * `{ index, name }` of the image to install; undefined when the media holds no install.wim/esd
 * (then the answer file names the image as before). Throws, listing what the media has, when
 * no image is the spec's edition, or none is x64.
 */
export async function installImageFor(
  spec: VmSpec,
  log: (line: string) => void = () => undefined,
): Promise<{ index: number; name: string } | undefined> {
  const install = spec.install;
  if (!install) return undefined;
  const iso = mediaFilePath(install.media);
  const images = await cachedImageList(mediumKey(iso, install.media.sha256), () => readIsoImages(iso)).catch(
    (error: Error) => {
      throw new SupervisorError(error.message, EXIT.MEDIA, 'install: media image list');
    },
  );
  if (!images) {
    log(`${iso} has no sources/install.wim or install.esd: the answer file names the image`);
    return undefined;
  }
  const windows = {
    version: install.windows.version,
    edition: install.windows.edition,
    evaluation: install.windows.evaluationDays !== undefined,
  };
  let image;
  try {
    image = pickInstallImage(images, windows, iso);
  } catch (error) {
    throw new SupervisorError((error as Error).message, EXIT.MEDIA, 'install: media image');
  }
  log(`installing image ${image.index} of ${iso}: ${image.name}`);
  return { index: image.index, name: image.name };
}
