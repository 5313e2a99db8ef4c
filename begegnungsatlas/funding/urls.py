from django.urls import path

from .views import applications, calls, documents, exports, grants, reviews, selection

app_name = "funding"
urlpatterns = [
    path("", calls.index, name="index"),
    path("aufrufe/neu/", calls.call_edit, name="call_create"),
    path("aufrufe/<int:pk>/", calls.call_detail, name="call"),
    path("aufrufe/<int:pk>/bearbeiten/", calls.call_edit, name="call_edit"),
    path("aufrufe/<int:pk>/mittel-und-kriterien/", calls.call_setup, name="call_setup"),
    path("aufrufe/<int:pk>/anlagen/", calls.call_attachment_add, name="call_attachment_add"),
    path("aufrufe/<int:pk>/anlagen/<int:document_pk>/loeschen/", calls.call_attachment_delete,
         name="call_attachment_delete"),
    path("aufrufe/<int:pk>/status/", calls.call_status, name="call_status"),
    path("aufrufe/<int:pk>/fristverlaengerung/", calls.call_extension, name="call_extension"),
    path("aufrufe/<int:call_pk>/bewerben/", applications.apply, name="apply"),
    path("aufrufe/<int:pk>/auswahl/", selection.selection, name="selection"),
    path("bewerbungen/<int:pk>/", applications.detail, name="application"),
    path("bewerbungen/<int:pk>/bearbeiten/", applications.edit, name="application_edit"),
    path("bewerbungen/<int:pk>/anlagen/", applications.attach, name="application_attach"),
    path("bewerbungen/<int:pk>/status/", applications.transition, name="application_transition"),
    path("bewerbungen/<int:pk>/vorpruefung/", applications.screen, name="application_screen"),
    path("bewerbungen/<int:pk>/gutachter/", applications.assign, name="application_assign"),
    path("bewerbungen/<int:pk>/pdf/", applications.pdf, name="application_pdf"),
    path("bewerbungen/<int:pk>/fassungen/<int:number>/pdf/", applications.pdf, name="revision_pdf"),
    path("begutachtung/<int:pk>/", reviews.review, name="review"),
    path("begutachtung/<int:pk>/befangen/", reviews.conflict, name="conflict"),
    path("foerderungen/<int:pk>/", grants.detail, name="grant"),
    path("foerderungen/<int:pk>/belege/", grants.voucher_upload, name="voucher_upload"),
    path("belege/<int:pk>/<str:action>/", grants.voucher_action, name="voucher_action"),
    path("foerderungen/<int:pk>/vertrag/", grants.contract_edit, name="contract_edit"),
    path("foerderungen/<int:pk>/vertrag.pdf", grants.contract_pdf, name="contract_pdf"),
    path("dokumente/<int:pk>/", documents.download, name="document"),
    path("export/<str:kind>.<str:fmt>", exports.export, name="export"),
    path("protokoll/", exports.audit, name="audit"),
]
