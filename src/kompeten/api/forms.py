from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import BootstrapMixin

from .models import ApiToken


class TokenForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=80,
                           help_text=_("Untuk Anda kenali nanti, misalnya nama aplikasi yang memakainya."))
    scope = forms.ChoiceField(label=_("Cakupan"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ,
                              widget=forms.RadioSelect,
                              help_text=_("“Hanya baca” cukup untuk integrasi yang membaca data. “Baca dan tindakan” "
                                          "boleh melakukan tindakan atas nama Anda, sebatas hak Anda di layar."))
