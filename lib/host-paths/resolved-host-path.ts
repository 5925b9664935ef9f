/** A host path as the resolve helper found it on the Docker host (JSON between image and provider). */
export type ResolvedHostPath =
  | {
      requested: string;
      ok: true;
      /** The path with every symbolic link and ".." resolved on the host: what gets checked and mounted. */
      path: string;
      type: 'directory' | 'file' | 'other';
      /** st_dev and st_ino (decimal strings: an inode number may pass 2^53). */
      dev: string;
      ino: string;
      /** Where a bind mount on the host took the folder from (bindMountSource), if one did. */
      mountSource?: string;
    }
  | { requested: string; ok: false; error: 'missing' | 'not-a-directory' | 'loop'; path: string };
