"""The upload form of the import page."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import GovukForm
from safeguarding.imports import reading
from safeguarding.imports.schema import RecordType


class ImportForm(GovukForm):
    record_type = forms.ChoiceField(
        label="What the file holds",
        choices=RecordType.choices,
        widget=forms.RadioSelect,
        help_text="Import cases first, then reviews, then findings and actions: each refers to "
        "records already held.",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV file (UTF-8) or an Excel workbook (.xlsx), smaller than "
        f"{reading.MAX_UPLOAD_BYTES // reading.MB} MB. The first worksheet is read.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > reading.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {reading.MAX_UPLOAD_BYTES // reading.MB} MB"
            )
        if not upload.size:
            raise forms.ValidationError("The selected file is empty")
        # The type by content, at once for any size (a large file is read on the task queue).
        head = upload.read(8192)
        upload.seek(0)
        try:
            reading.sniff(head)
        except reading.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
