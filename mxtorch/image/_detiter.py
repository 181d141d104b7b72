"""ImageDetIter: batches of images with detection labels, padded to a fixed object count."""
import logging

import numpy as np

from .. import ndarray as nd
from ._iter import ImageIter


def _parse_label(label):
    """Raw record label ``[header_width, object_width, header..., objects...]`` -> (objects,
    object_width) array of the valid boxes."""
    raw = (label.asnumpy() if isinstance(label, nd.NDArray) else np.asarray(label)).ravel()
    if raw.size < 7:
        raise RuntimeError("Label shape is invalid: %s (a detection label holds "
                           "[header_width, object_width, ..., objects])" % (raw.shape,))
    header_width, obj_width = int(raw[0]), int(raw[1])
    if obj_width < 5 or (raw.size - header_width) % obj_width != 0:
        raise RuntimeError("Label shape %s inconsistent with annotation width %d."
                           % (raw.shape, obj_width))
    out = raw[header_width:].reshape(-1, obj_width)
    valid = np.where(np.logical_and(out[:, 3] > out[:, 1], out[:, 4] > out[:, 2]))[0]
    if valid.size < 1:
        raise RuntimeError("Encounter sample with no valid label.")
    return out[valid, :]


class ImageDetIter(ImageIter):
    """Iterates over images and their object boxes with detection augmentation.

    Labels are padded with -1 rows to the largest object count in the data set: each batch's
    label has shape (batch_size, max_objects, object_width).

    Parameters
    ----------
    batch_size : int
    data_shape : tuple
        (3, height, width).
    path_imgrec, path_imglist, path_root, path_imgidx, shuffle, part_index, num_parts,
    imglist, data_name, last_batch_handle
        As in ImageIter.
    aug_list : list of DetAugmenter
        Default: ``CreateDetAugmenter(data_shape, **kwargs)``.
    label_name : str, default 'label'
    """

    def __init__(self, batch_size, data_shape, path_imgrec=None, path_imglist=None,
                 path_root=None, path_imgidx=None, shuffle=False, part_index=0, num_parts=1,
                 aug_list=None, imglist=None, data_name="data", label_name="label",
                 last_batch_handle="pad", **kwargs):
        super(ImageDetIter, self).__init__(
            batch_size=batch_size, data_shape=data_shape, path_imgrec=path_imgrec,
            path_imglist=path_imglist, path_root=path_root, path_imgidx=path_imgidx,
            shuffle=shuffle, part_index=part_index, num_parts=num_parts, aug_list=[],
            imglist=imglist, data_name=data_name, label_name=label_name,
            last_batch_handle=last_batch_handle)
        from .detection import CreateDetAugmenter
        self.auglist = CreateDetAugmenter(data_shape, **kwargs) if aug_list is None \
            else aug_list
        label_shape = self._estimate_label_shape()
        self.provide_label = [(label_name, (self.batch_size,) + label_shape)]
        self.label_shape = label_shape

    def _parse_label(self, label):
        """The valid boxes ``(objects, object_width)`` of a raw record label (MXNet's hook
        for subclasses)."""
        return _parse_label(label)

    def _estimate_label_shape(self):
        count, width = 0, 5
        self.reset()
        try:
            while True:
                label, _ = self.next_sample()
                label = self._parse_label(label)
                count, width = max(count, label.shape[0]), label.shape[1]
        except StopIteration:
            pass
        self.reset()
        return (count, width)

    def _check_valid_label(self, label):
        if len(label.shape) != 2 or label.shape[1] < 5:
            raise RuntimeError("Label with shape (1+, 5+) required, %s received." % (label,))
        valid = np.logical_and(label[:, 0] >= 0, label[:, 3] > label[:, 1])
        valid = np.logical_and(valid, label[:, 4] > label[:, 2])
        if not valid.any():
            raise RuntimeError("Invalid label occurs.")

    def _new_label(self):
        label = nd.empty(self.provide_label[0][1])
        label[:] = -1
        return label

    def _fill(self, batch_data, batch_label, start=0):
        i = start
        try:
            while i < self.batch_size:
                label, raw = self.next_sample()
                data = self.imdecode(raw)
                try:
                    self.check_valid_image([data])
                    label = self._parse_label(label)
                    data, label = self.augmentation_transform(data, label)
                    self._check_valid_label(label)
                except RuntimeError as err:
                    logging.debug("Invalid image, skipping: %s", err)
                    continue
                batch_data[i] = self.postprocess_data(data)
                rows = min(label.shape[0], batch_label.shape[1])
                batch_label[i][0:rows] = nd.array(label[:rows])
                if rows < batch_label.shape[1]:
                    batch_label[i][rows:] = -1
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def augmentation_transform(self, data, label):
        """Applies the detection augmenters in order."""
        for aug in self.auglist:
            data, label = aug(data, label)
        return data, label

    def check_label_shape(self, label_shape):
        """Checks a new (max_objects, object_width) label shape."""
        if len(label_shape) != 2:
            raise ValueError("label_shape should have length 2")
        if label_shape[0] < self.label_shape[0]:
            raise ValueError("Attempts to reduce label count from %d to %d, not allowed."
                             % (self.label_shape[0], label_shape[0]))
        if label_shape[1] != self.provide_label[0][1][2]:
            raise ValueError("label_shape object width inconsistent: %d vs %d."
                             % (self.provide_label[0][1][2], label_shape[1]))

    def reshape(self, data_shape=None, label_shape=None):
        """Changes the data shape (C, H, W) and/or label shape (objects, width)."""
        if data_shape is not None:
            self.check_data_shape(data_shape)
            self.provide_data = [(self.provide_data[0][0], (self.batch_size,) + data_shape)]
            self.data_shape = data_shape
        if label_shape is not None:
            self.check_label_shape(label_shape)
            self.provide_label = [(self.provide_label[0][0], (self.batch_size,) + label_shape)]
            self.label_shape = label_shape

    def sync_label_shape(self, it, verbose=False):
        """Makes this iterator and ``it`` (e.g. train and validation) use the same label
        shape; returns ``it``."""
        if not isinstance(it, ImageDetIter):
            raise AssertionError("Synchronize with invalid iterator.")
        mine, theirs = self.label_shape, it.label_shape
        if mine[1] != theirs[1]:
            raise AssertionError("object width mismatch: %d vs %d" % (mine[1], theirs[1]))
        count = max(mine[0], theirs[0])
        if count > mine[0]:
            self.reshape(None, (count, mine[1]))
        if count > theirs[0]:
            it.reshape(None, (count, theirs[1]))
        if verbose and count > min(mine[0], theirs[0]):
            logging.info("Resized label_shape to (%d, %d).", count, mine[1])
        return it

    def draw_next(self, color=None, thickness=2, mean=None, std=None, clip=True,
                  waitKey=None, window_name="draw_next", id2labels=None):
        """Yields the next images (HWC uint8 numpy, RGB) with their boxes drawn; with
        ``waitKey`` also shows them in an OpenCV window."""
        import cv2
        count = 0
        try:
            while True:
                label, raw = self.next_sample()
                image = self.imdecode(raw)
                label = self._parse_label(label)
                image, label = self.augmentation_transform(image, label)
                count += 1
                yield self._draw(cv2, image, label, color, thickness, mean, std, clip,
                                 id2labels, waitKey, window_name)
        except StopIteration:
            if not count:
                return

    def _draw(self, cv2, image, label, color, thickness, mean, std, clip, id2labels, waitKey,
              window_name):
        image = image.asnumpy() if isinstance(image, nd.NDArray) else np.asarray(image)
        if std is not None:
            image = image * (std.asnumpy() if isinstance(std, nd.NDArray) else np.asarray(std))
        if mean is not None:
            image = image + (mean.asnumpy() if isinstance(mean, nd.NDArray)
                             else np.asarray(mean))
        if clip:
            image = np.clip(image, 0, 255)
        image = np.ascontiguousarray(image.astype(np.uint8))
        height, width = image.shape[:2]
        for row in label:
            if row[0] < 0:
                continue
            box = (int(row[1] * width), int(row[2] * height), int(row[3] * width),
                   int(row[4] * height))
            rgb = color or tuple(int(c) for c in np.random.randint(0, 256, 3))
            cv2.rectangle(image, box[:2], box[2:], rgb, thickness)
            if id2labels is not None and int(row[0]) in id2labels:
                cv2.putText(image, str(id2labels[int(row[0])]), box[:2],
                            cv2.FONT_HERSHEY_SIMPLEX, 0.5, rgb, 1)
        if waitKey is not None:
            cv2.imshow(window_name, image[:, :, ::-1])
            cv2.waitKey(waitKey)
        return image
